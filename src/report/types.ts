/** What the report renders: a flood's result, with its interval samples and encoded histograms. */
import type { FloodResult } from '../client/verdict/result.js';

export type { IntervalLatency, IntervalSample } from '../client/verdict/samples.js';
/** A merged run's shards (`iocp-bench merge`, MergedResult's `merge`): the report names them. */
export interface ReportMerge {
  shards: { file: string; index: number | null; count: number | null; verdict: string; startOffsetMs: number | null }[];
}

/** A flood's result, or a merged one (with `merge`). */
export type ReportResult = FloodResult & { merge?: ReportMerge };
