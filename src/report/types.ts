/** What the report renders: a flood's result, with its interval samples and encoded histograms. */
import type { FloodResult } from '../client/verdict/result.js';

export type { IntervalLatency, IntervalSample } from '../client/verdict/samples.js';
export type ReportResult = FloodResult;
