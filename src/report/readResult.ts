/**
 * Reads a saved flood result (what `iocp-bench flood --json` printed) for `iocp-bench report`:
 * any file that is not one is a UsageError naming the file and what is wrong, in one line.
 */
import { UsageError } from '../errors.js';
import { inputName, parseLastJson, readInputText } from '../inputFile.js';
import type { ReportResult } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a result needs for the report, by field: the kind of value each must be. */
const FIELDS: Record<string, (v: unknown) => boolean> = {
  reasons: Array.isArray,
  warnings: Array.isArray,
  target: isObject,
  options: isObject,
  elapsedMs: (v) => typeof v === 'number',
  connections: isObject,
  messages: isObject,
  bytes: isObject,
  latencyUs: isObject,
  faults: isObject,
  errors: isObject,
  faultSamples: Array.isArray,
  errorSamples: Array.isArray,
  leak: isObject,
  assertions: Array.isArray,
  intervalMs: (v) => typeof v === 'number',
  samples: Array.isArray,
  histograms: (v) => isObject(v) && typeof v.roundTrip === 'string',
};

/** Checks that `value` is a flood result the report can render; `name` is the file, for the message. */
export function asFloodResult(value: unknown, name: string): ReportResult {
  const notResult = (why: string) => new UsageError(`${name}: not a flood result (the output of iocp-bench flood --json): ${why}`, 'E_NOT_RESULT');
  if (!isObject(value)) throw notResult('not a JSON object');
  if (value.verdict === 'ERROR') {
    const why = Array.isArray(value.reasons) && value.reasons.length ? String(value.reasons[0]) : 'unknown error';
    throw new UsageError(`${name}: holds a flood that did not run (${why}), nothing to report`, 'E_NOT_RESULT');
  }
  if (value.verdict !== 'PASS' && value.verdict !== 'FAIL') throw notResult('no PASS or FAIL verdict');
  const missing = Object.entries(FIELDS).filter(([k, ok]) => !ok(value[k])).map(([k]) => k);
  if (missing.length) throw notResult(`missing or malformed ${missing.join(', ')}`);
  return value as unknown as ReportResult;
}

/** Reads and checks a result file (`-`: stdin). */
export function readResultFile(file: string): ReportResult {
  const text = readInputText(file, 'E_NOT_RESULT');
  let value: unknown;
  try {
    value = parseLastJson(text);
  } catch (err) {
    throw new UsageError(`${inputName(file)}: not a flood result (the output of iocp-bench flood --json): not JSON (${(err as Error).message.replace(/\s+/g, ' ')})`, 'E_NOT_RESULT');
  }
  return asFloodResult(value, inputName(file));
}
