/** What `iocp-bench report` does: read the saved result, check it, render it, write it. */
import { readResultFile } from './readResult.js';
import { checkReportPath, writeReportFile } from './write.js';

export function runReportCommand(resultFile: string, output: string): void {
  checkReportPath('--output', output);
  writeReportFile(readResultFile(resultFile), output);
}
