/**
 * Reads a saved flood result (what `iocp-bench flood --json` printed) for `iocp-bench report` and
 * `iocp-bench merge`: any file that is not one is a UsageError naming the file and what is wrong,
 * in one line. What the two read of it (RESULT below) is checked before either does, and its
 * encoded histograms are decoded once here, so a malformed file is told as such, not as a
 * JavaScript error from deep inside the report or the merge.
 */
import type { Histogram } from 'hdr-histogram-js';
import { UsageError } from '../errors.js';
import { inputName, parseLastJson, readInputText } from '../inputFile.js';
import { mergeEncoded, newHistogram } from '../client/run/floodCounters.js';
import { DISCONNECT_MODES } from '../client/run/scenarios.js';
import { FAULT_CLASSES } from '../client/verify/diagnose.js';
import { MAX_SHARDS } from '../client/shard.js';
import { STATS_COUNTERS } from '../client/verdict/leakCheck.js';
import type { ReportResult } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a value found at `at` (a path: `samples[3].roundTripUs`), adding to `bad` what is wrong. */
type Shape = (v: unknown, at: string, bad: string[]) => void;

const is =
  (ok: (v: unknown) => boolean): Shape =>
  (v, at, bad) => {
    if (!ok(v)) bad.push(at);
  };
const num = is((v) => typeof v === 'number' && Number.isFinite(v));
const str = is((v) => typeof v === 'string');
const array = is(Array.isArray);
const object = is(isObject);
const obj =
  (fields: Record<string, Shape>): Shape =>
  (v, at, bad) => {
    if (!isObject(v)) return void bad.push(at);
    for (const [k, shape] of Object.entries(fields)) shape(v[k], at ? `${at}.${k}` : k, bad);
  };
const list =
  (item: Shape): Shape =>
  (v, at, bad) => {
    if (!Array.isArray(v)) return void bad.push(at);
    v.forEach((x, i) => item(x, `${at}[${i}]`, bad));
  };
const orNull =
  (shape: Shape): Shape =>
  (v, at, bad) => {
    if (v !== null) shape(v, at, bad);
  };
/** Absent in results of older floods, and read only when there: allowed to be missing. */
const optional =
  (shape: Shape): Shape =>
  (v, at, bad) => {
    if (v !== undefined) shape(v, at, bad);
  };
/** A whole number in lo..hi. */
const whole = (lo: number, hi: number): Shape => is((v) => Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi);
/** A time as the flood writes it (an ISO 8601 string), that Date.parse reads. */
const time = is((v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)));
const nums = (...keys: string[]): Shape => obj(Object.fromEntries(keys.map((k) => [k, num])));
/** An object of numbers by any name (options.transportThreads). */
const numsByName: Shape = (v, at, bad) => {
  if (!isObject(v)) return void bad.push(at);
  for (const [k, n] of Object.entries(v)) num(n, `${at}.${k}`, bad);
};

/** Where histogram() decodes into, emptied for each. */
let scratch: Histogram | null = null;
/**
 * An encoded histogram, decoded and added as the report and the merge add it: the guard that
 * turns a string the decoder cannot read (not base64, another encoding, a value out of range)
 * into the file's error, with the decoder's words.
 */
const histogram: Shape = (v, at, bad) => {
  if (typeof v !== 'string') return void bad.push(at);
  try {
    scratch ??= newHistogram();
    scratch.reset();
    mergeEncoded(scratch, v);
  } catch (err) {
    bad.push(`${at} (${err instanceof Error ? err.message : String(err)})`.replace(/\s+/g, ' '));
  }
};

const latency = nums('count', 'p50', 'p90', 'p99', 'max');
const summary = nums('count', 'p50', 'p90', 'p99', 'p999', 'max');
const faults = nums('total', ...FAULT_CLASSES);
const errors = nums('total', 'reset', 'refused', 'timeout', 'other');
const range = nums('min', 'max');
const stages = list(obj({ durationMs: num }));
const serverStats = obj(Object.fromEntries(Object.entries(STATS_COUNTERS).map(([k, sub]) => [k, sub ? nums(...sub) : num])));

/** --shard i/N as the flood checked it (shard.ts): a merge counts its shards up to N. */
const shardShape: Shape = (v, at, bad) => {
  obj({ index: whole(1, MAX_SHARDS), count: whole(1, MAX_SHARDS), plan: obj({ connections: num, total: orNull(num), rate: num, msgRate: num, stages, msgStages: stages }) })(v, at, bad);
  const index = `${at}.index`;
  if (isObject(v) && typeof v.index === 'number' && typeof v.count === 'number' && v.index > v.count && !bad.includes(index)) bad.push(index);
};

/** What report and merge read of a result, by field: the kind of value each must be. */
const RESULT: Record<string, Shape> = {
  reasons: array,
  warnings: array,
  target: obj({ host: str, port: num }),
  options: obj({
    profile: str, connections: num, total: orNull(num), durationMs: num, stages, rate: num, msgRate: num, msgStages: stages, pipeline: num,
    messages: range, size: range, mix: object, seed: num, workers: num, timeoutMs: num, holdMs: range, transport: str,
    transportThreads: numsByName,
    sources: obj({ count: num, addresses: list(str) }),
  }),
  shard: orNull(shardShape),
  startAt: optional(orNull(obj({ at: time, offsetMs: num }))),
  elapsedMs: num,
  connections: obj({
    ...Object.fromEntries(['started', 'connected', 'ok', 'faulted', 'errored', 'aborted', 'peakActive', 'perSec'].map((k) => [k, num])),
    targetPerSec: orNull(num),
    achievedPerSec: orNull(num),
    byMode: obj(Object.fromEntries(DISCONNECT_MODES.map((m) => [m, nums('started', 'ok', 'fault', 'error')]))),
  }),
  messages: obj({ sent: num, verified: num, perSec: num, targetPerSec: orNull(num), achievedPerSec: orNull(num), unsent: optional(orNull(num)) }),
  bytes: nums('sent', 'received', 'perSec'),
  latencyUs: obj({ connect: summary, roundTrip: summary, serviceTime: orNull(summary) }),
  faults,
  errors,
  faultSamples: list(object),
  errorSamples: list(object),
  leak: obj({ status: str, reasons: array, settleMs: num, before: orNull(serverStats), after: orNull(serverStats) }),
  assertions: list(object),
  intervalMs: num,
  samples: list(
    obj({
      time: num,
      elapsedMs: num,
      intervalMs: num,
      connections: nums('opened', 'ok', 'fault', 'error', 'aborted', 'active'),
      messages: nums('sent', 'verified', 'perSec'),
      bytes: nums('sent', 'received', 'sentPerSec', 'receivedPerSec'),
      roundTripUs: latency,
      serviceTimeUs: orNull(latency),
      faults,
      errors,
      server: optional(orNull(object)),
    }),
  ),
  histograms: obj({ roundTrip: histogram, serviceTime: orNull(histogram), connect: histogram }),
  intervalHistograms: optional(orNull(list(obj({ roundTrip: histogram, serviceTime: orNull(histogram) })))),
};

/** Bad fields a message names; the rest are counted. */
const NAMED = 3;

/** How a reader of results words its errors. */
export interface ResultReader {
  /** What it does with a result: `nothing to <verb>` when the file holds a flood that did not run. */
  verb: string;
  /** The UsageError's code. */
  code: string;
}

const REPORT: ResultReader = { verb: 'report', code: 'E_NOT_RESULT' };

/** For the ERROR result of a flood that did not run (flood --json on an error): the error that says why; else null. */
export function didNotRun(value: unknown, name: string, reader: ResultReader = REPORT): UsageError | null {
  if (!isObject(value) || value.verdict !== 'ERROR') return null;
  const why = Array.isArray(value.reasons) && value.reasons.length ? String(value.reasons[0]).replace(/\s+/g, ' ') : 'unknown error';
  return new UsageError(`${name}: holds a flood that did not run (${why}), nothing to ${reader.verb}`, reader.code);
}

/** Checks that `value` is a flood result the report (or the merge) can read; `name` is the file, for the message. */
export function asFloodResult(value: unknown, name: string, reader: ResultReader = REPORT): ReportResult {
  const notResult = (why: string) => new UsageError(`${name}: not a flood result (the output of iocp-bench flood --json): ${why}`, reader.code);
  if (!isObject(value)) throw notResult('not a JSON object');
  const notRun = didNotRun(value, name, reader);
  if (notRun) throw notRun;
  if (value.verdict !== 'PASS' && value.verdict !== 'FAIL') throw notResult('no PASS or FAIL verdict');
  const bad: string[] = [];
  for (const [k, shape] of Object.entries(RESULT)) shape(value[k], k, bad);
  if (bad.length) {
    const more = bad.length > NAMED ? ` and ${bad.length - NAMED} more` : '';
    throw notResult(`missing or malformed ${bad.slice(0, NAMED).join(', ')}${more}`);
  }
  return value as unknown as ReportResult;
}

/** Reads and checks a result file (`-`: stdin). */
export function readResultFile(file: string): ReportResult {
  const text = readInputText(file, REPORT.code);
  let value: unknown;
  try {
    value = parseLastJson(text);
  } catch (err) {
    throw new UsageError(`${inputName(file)}: not a flood result (the output of iocp-bench flood --json): not JSON (${(err as Error).message.replace(/\s+/g, ' ')})`, REPORT.code);
  }
  return asFloodResult(value, inputName(file));
}
