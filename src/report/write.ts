/** Writing a report to a file (or stdout for `-`), and checking beforehand that it can be. */
import { closeSync, existsSync, openSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IocpBenchError, usageError } from '../errors.js';
import { renderReport } from './html.js';
import type { ReportResult } from './types.js';

/**
 * Throws a UsageError when `file` cannot be a report's destination: its directory does not exist,
 * it is a directory, or it cannot be written (tried by opening it to append, which changes nothing
 * in a file that exists; one created by the try is removed again); `-` (stdout) only when
 * `stdoutOk`. Checked before a flood runs, so a typo or a read-only folder does not waste the run.
 */
export function checkReportPath(flag: string, file: string, stdoutOk = true): void {
  if (file.trim() === '') throw usageError(flag, stdoutOk ? 'needs a file name (- for stdout)' : 'needs a file name', file);
  if (file === '-') {
    if (stdoutOk) return;
    throw usageError(flag, 'needs a file name (stdout carries the result)', file);
  }
  const dir = path.dirname(path.resolve(file));
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (!isDir(dir)) throw usageError(flag, `no such directory: ${dir}`, file);
  if (isDir(file)) throw usageError(flag, 'is a directory, not a file', file);
  // existsSync follows a symlink: for one to a file not yet written, the try creates that file,
  // and the file (realpath), not the link, is what is removed again.
  const existed = existsSync(file);
  try {
    closeSync(openSync(file, 'a'));
  } catch (err) {
    throw usageError(flag, `cannot write it: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  if (!existed) unlinkSync(realpathSync(file));
}

/** Renders `result` and writes it to `file` (`-`: stdout). A write that fails throws one line. */
export function writeReportFile(result: ReportResult, file: string): void {
  const html = renderReport(result);
  if (file === '-') {
    process.stdout.write(html);
    return;
  }
  try {
    writeFileSync(file, html);
  } catch (err) {
    throw new IocpBenchError('E_REPORT_WRITE', `cannot write the report to ${file}: ${(err as Error).message}`);
  }
}
