/**
 * Reading a result named on the command line (`report`, `merge`): `-` is stdin, and a file that
 * cannot be read is one line naming it and why. A saved result may be a log with lines before
 * the result (`kubectl logs` with stderr, `flood --json 2>&1`): its last line holding a JSON
 * object is the result.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './errors.js';

const WHY: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'a directory', EACCES: 'permission denied' };

/** The name a message gives the input: the file, or `stdin` for `-`. */
export function inputName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** The whole text of `file` (`-`: stdin), or a UsageError (code) `<file>: cannot read it (<why>)`. */
export function readInputText(file: string, code = 'E_USAGE'): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    const e = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${inputName(file)}: cannot read it (${(e && WHY[e]) ?? e ?? String(err)})`, code);
  }
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
 * Whether two paths named on the command line are the same file: the same path once resolved,
 * or, both existing, the same file on disk (a link or another spelling of it). `-` (stdin or
 * stdout) is only ever itself.
 */
export function namesSameFile(a: string, b: string): boolean {
  if (a === '-' || b === '-') return a === b;
  if (resolve(a) === resolve(b)) return true;
  try {
    const [sa, sb] = [statSync(a), statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false; // one of them does not exist yet: not the same file
  }
}
