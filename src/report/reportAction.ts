/** What `iocp-bench report` does: read the saved result, check it, render it, write it. */
import { usageError } from '../errors.js';
import { namesSameFile, stdinIsFile } from '../inputFile.js';
import { readResultFile } from './readResult.js';
import { checkReportPath, writeReportFile } from './write.js';

/**
 * Where the page goes: the file named (`-`: stdout), or with no -o stdout, unless that is a
 * terminal, where 70 KB of HTML would only scroll by.
 */
export function reportOutput(output: string | undefined, stdoutIsTerminal: boolean): string {
  if (output !== undefined) return output;
  if (stdoutIsTerminal) throw usageError('--output', 'name the HTML file (-o run.html), or redirect stdout: the page is not for a terminal');
  return '-';
}

export function runReportCommand(resultFile: string, output: string | undefined, stdoutIsTerminal: boolean): void {
  const to = reportOutput(output, stdoutIsTerminal);
  if (resultFile === '-' ? stdinIsFile(to) : namesSameFile(resultFile, to)) {
    throw usageError('--output', 'is the result file itself: the page would replace the result', to);
  }
  checkReportPath('--output', to);
  writeReportFile(readResultFile(resultFile), to);
}
