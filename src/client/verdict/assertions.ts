/**
 * `--assert leaks==0,dataErrors==0,p99<20ms`: checks over the flood's result, each of which fails
 * the run when false. Latency metrics take a time with its unit (`20ms`, `800us`; a bare number
 * other than 0 is refused: seconds, as in the other flags, or microseconds, as in the JSON, would
 * each surprise someone); the others take counts (`10k`). A metric that could not be measured
 * (for example `leaks` when the leak check did not run) fails its check rather than passing
 * silently.
 */
import { usageError } from '../../errors.js';
import { formatMicros, parseCount, parseDurationMs } from '../../units.js';

const TIME_METRICS = ['p50', 'p90', 'p99', 'p999', 'max', 'connectP50', 'connectP99', 'connectMax'] as const;
const COUNT_METRICS = [
  'leaks', 'dataErrors', 'faults', 'lost', 'corrupted', 'reordered', 'duplicated', 'foreign', 'truncated', 'stalled',
  'errors', 'resets', 'refused', 'timeouts', 'staleCompletions', 'connections', 'ok', 'messages', 'msgsPerSec',
  'unsent',
] as const;
export type AssertMetric = (typeof TIME_METRICS)[number] | (typeof COUNT_METRICS)[number];
export const ASSERT_METRICS: readonly AssertMetric[] = [...COUNT_METRICS, ...TIME_METRICS];

const OPS = ['==', '!=', '<=', '>=', '<', '>'] as const;
/** Longest time an assertion may name. */
const MAX_ASSERT_MS = 24 * 3600e3;
type Op = (typeof OPS)[number];

export interface Assertion {
  text: string;
  metric: AssertMetric;
  op: Op;
  /** Microseconds for time metrics, a plain number otherwise. */
  value: number;
}

export interface AssertionResult {
  expr: string;
  ok: boolean;
  /** The measured value (µs for latency metrics), or null when it could not be measured. */
  actual: number | null;
  /** The measured value for people, in the metric's unit (12.3ms, 1500), or "not measured". */
  shown: string;
}

export function parseAssertions(raw: string): Assertion[] {
  if (!raw.trim()) return [];
  return raw.split(',').map((part) => {
    const text = part.trim();
    const m = /^([A-Za-z0-9]+)\s*(==|!=|<=|>=|<|>|=)\s*(.+)$/.exec(text);
    if (!m) throw usageError('--assert', 'not metric<op>value, like p99<20ms', text);
    const metric = m[1] as AssertMetric;
    if (!ASSERT_METRICS.includes(metric)) {
      throw usageError('--assert', `unknown metric; known: ${ASSERT_METRICS.join(', ')}`, m[1]);
    }
    const op = (m[2] === '=' ? '==' : m[2]) as Op;
    const isTime = (TIME_METRICS as readonly string[]).includes(metric);
    const raw = m[3]!.trim();
    if (isTime && /^[\d.]+$/.test(raw) && Number(raw) !== 0) {
      throw usageError('--assert', `a latency needs its unit, like ${metric}${m[2]}${raw}ms or ${metric}${m[2]}${raw}us`, text);
    }
    const value = !isTime ? parseCount('--assert', raw) : parseDurationMs('--assert', raw, 'ms', 0, MAX_ASSERT_MS) * 1000;
    return { text, metric, op, value };
  });
}

function holds(actual: number, op: Op, v: number): boolean {
  switch (op) {
    case '==': return actual === v;
    case '!=': return actual !== v;
    case '<=': return actual <= v;
    case '>=': return actual >= v;
    case '<': return actual < v;
    case '>': return actual > v;
  }
}

/** Evaluates each assertion against `measure` (null = not measured, which fails). */
export function evaluateAssertions(list: Assertion[], measure: (m: AssertMetric) => number | null): AssertionResult[] {
  return list.map((a) => {
    const actual = measure(a.metric);
    const isTime = (TIME_METRICS as readonly string[]).includes(a.metric);
    // A time rounded to the bound's own text (1997 µs and 2ms both read "2.00ms") is shown in µs.
    const time = (us: number) => (formatMicros(us) === formatMicros(a.value) && us !== a.value ? `${us}us` : formatMicros(us));
    const shown = actual === null ? 'not measured' : isTime ? time(actual) : String(actual);
    return { expr: a.text, ok: actual !== null && holds(actual, a.op, a.value), actual, shown };
  });
}
