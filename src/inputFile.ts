/**
 * Reading a result named on the command line (`report`, `merge`): `-` is stdin, and a file that
 * cannot be read is one line naming it and why. A saved result may be a log with lines before
 * the result (`kubectl logs` with stderr, `flood --json 2>&1`): its last line holding a JSON
 * object is the result.
 */
import { fstatSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, usageError } from './errors.js';

const WHY: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'a directory', EACCES: 'permission denied' };

/** The name a message gives the input: the file, or `stdin` for `-`. */
export function inputName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/**
 * The whole text of `file` (`-`: stdin), or a UsageError (code) `<file>: cannot read it (<why>)`.
 * UTF-8, or UTF-16 with its byte-order mark: what Windows PowerShell 5.1's `>` writes.
 */
export function readInputText(file: string, code = 'E_USAGE'): string {
  try {
    return decodeText(readFileSync(file === '-' ? 0 : file));
  } catch (err) {
    const e = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${inputName(file)}: cannot read it (${(e && WHY[e]) ?? e ?? String(err)})`, code);
  }
}

/** Bytes as text, by their byte-order mark: UTF-16 little- or big-endian, else UTF-8 (its mark dropped). */
export function decodeText(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  // TextDecoder drops the mark (as BOM sniffing would), and decodes what is not valid as U+FFFD.
  return new TextDecoder(encoding).decode(bytes);
}

/**
 * The JSON value in `text`: the whole text, or else its last line that starts with `{`. Throws
 * the whole text's SyntaxError when neither parses.
 */
export function parseLastJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (whole) {
    const line = text.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
    if (line === undefined) throw whole;
    try {
      return JSON.parse(line);
    } catch {
      throw whole;
    }
  }
}

/**
 * Whether two paths named on the command line are the same file: the same path once resolved
 * (letter case aside where file names ignore it: Windows, macOS), or, both existing, the same
 * file on disk (a link or another spelling of it). `-` (stdin, stdout) is only ever itself.
 */
export function namesSameFile(a: string, b: string): boolean {
  if (a === '-' || b === '-') return a === b;
  const fold = process.platform === 'win32' || process.platform === 'darwin' ? (p: string) => p.toLowerCase() : (p: string) => p;
  if (fold(resolve(a)) === fold(resolve(b))) return true;
  return sameFile(() => statSync(a, { bigint: true }), b);
}

/** Whether stdin is read from `file` (`< run.json`). */
export function stdinIsFile(file: string): boolean {
  return fdIsFile(0, file);
}

/**
 * Refuses (UsageError) an output file named for `flag` that stdout or stderr is redirected to
 * (`--report run.json > run.json`): the stream's writes and the file's (`what`) would write over
 * each other, and a result printed there be lost.
 */
export function checkNotRedirected(flag: string, file: string, what: string): void {
  for (const [fd, stream] of [[1, 'stdout'], [2, 'stderr']] as const) {
    if (fdIsFile(fd, file)) {
      throw usageError(flag, `is where ${stream} is redirected: the ${what} and ${stream} would write over each other`, file);
    }
  }
}

/** Whether descriptor `fd` (0-2: a redirection) is open on `file`; `-` names a stream, never a file. */
function fdIsFile(fd: number, file: string): boolean {
  return file !== '-' && sameFile(() => fstatSync(fd, { bigint: true }), file);
}

/** Whether `file` exists and is the file `first` describes (device and inode, as bigints: Windows' file ids pass 2^53). */
function sameFile(first: () => BigIntStats, file: string): boolean {
  try {
    const [sa, sb] = [first(), statSync(file, { bigint: true })];
    return sa.isFile() && sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false; // one of them does not exist (yet): not the same file
  }
}
