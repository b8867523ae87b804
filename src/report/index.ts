/** The HTML report of a flood's result: renderReport() and its helpers. */
export { renderReport } from './html.js';
export { asFloodResult, readResultFile } from './readResult.js';
export { checkReportPath, writeReportFile } from './write.js';
export type { ReportResult, IntervalSample, IntervalLatency } from './types.js';
