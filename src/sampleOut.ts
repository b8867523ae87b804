/**
 * --out: interval samples written as they are taken, one JSON object a line (NDJSON), or one CSV
 * row each (header first, flat dotted column names like `roundTripUs.p99`; a null, and the
 * latencies of an interval without round trips, an empty cell) when the file name ends in `.csv`;
 * `-` is stdout. A file is checked before the run without being touched (a command that fails
 * before it runs leaves an existing file as it was, and creates none), created or truncated once the
 * run starts (start()), and written with writeSync, so a run that is killed keeps every sample it
 * finished. A write to stdout that fails (EPIPE: its reader went away, as `| head -1` does) loses
 * the samples as a full disk does: the same lines on stderr, and lost() says so at the end.
 */
import { accessSync, closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import nodePath from 'node:path';
import { UsageError, usageError } from './errors.js';
import { checkNotRedirected } from './inputFile.js';

/** How long the end of a run waits for stdout's pending sample writes (settled()) at the most. */
const SETTLE_LIMIT_MS = 2000;

export interface SampleOut {
  /** Samples go to stdout (`--out -`): the command's own output goes to stderr then. */
  readonly toStdout: boolean;
  /**
   * Once the run really starts: creates or truncates the file and writes the CSV header (nothing
   * for stdout). Once only; write() starts it too. A file that cannot be opened by then (it was
   * writable at the check) is a write failure: one line on stderr, and lost() says so at the end.
   */
  start(): void;
  write(sample: object): void;
  /**
   * After a write failed (a full disk; for stdout, a reader that went away): one line saying what
   * the file lacks, for the end of the run, whose exit code is then 1 (the samples are lost, as a
   * report that cannot be written is). null while every sample was written. For stdout, asked
   * once settled() resolved.
   */
  lost(): string | null;
  /**
   * Resolves once every write to stdout has ended, written or failed: a pipe takes a sample after
   * write() returns, and says that its reader went away (EPIPE) only then. At once for a file
   * (written with writeSync) and once nothing is pending; after SETTLE_LIMIT_MS at the latest.
   */
  settled(): Promise<void>;
  close(): void;
}

/** The dotted names of `template`'s leaves, in its order: the CSV columns. */
export function columnsOf(template: object, prefix = ''): string[] {
  return Object.entries(template).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? columnsOf(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/**
 * The value of a CSV cell: null (empty) where `path` is absent or null, and in a summary of nothing
 * (a group whose `count` is 0, as an interval's latencies when no round trip completed in it) for
 * all but the count: its 0s are no latency, and a plot of them would drop to 0 there.
 */
function valueAt(obj: unknown, path: string): unknown {
  let v = obj;
  let group: unknown = null;
  const keys = path.split('.');
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return null;
    group = v;
    v = (v as Record<string, unknown>)[k];
  }
  if (keys.at(-1) !== 'count' && (group as { count?: unknown }).count === 0) return null;
  return v;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The error code of a failed file call (ENOENT, EACCES, ...). */
const errorCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

/** null when `check` passes, else the code it failed with. */
function failsWith(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (err) {
    return errorCode(err);
  }
}

/**
 * Whether `path` could be opened for writing, found without creating, truncating or changing it:
 * an existing file is opened for appending and closed again (a FIFO or a device is checked for
 * write permission instead); for one that does not exist, its directory must be writable. The
 * error code of the open that would fail (ENOENT, EISDIR, EACCES, ...), or null.
 */
function unwritable(path: string): string | null {
  // A FIFO or a device is only asked whether it may be written: opening and closing a FIFO would
  // hand its reader an end of file (and block without one), before the run opens it for good.
  let special = false;
  try {
    const st = statSync(path);
    special = !st.isFile() && !st.isDirectory();
  } catch {
    /* absent, or not ours to stat: the open below says which */
  }
  if (special) return failsWith(() => accessSync(path, constants.W_OK));
  // No O_CREAT: nothing is created here, so there is nothing to remove (and no race with
  // another process creating the same file meanwhile).
  const open = failsWith(() => closeSync(openSync(path, constants.O_WRONLY | constants.O_APPEND)));
  if (open !== 'ENOENT') return open;
  return failsWith(() => accessSync(nodePath.dirname(nodePath.resolve(path)), constants.W_OK));
}

/**
 * Prepares `path` for `flag` (`-`: stdout). `columns`: the CSV's, the same for every row (a field
 * that is null in a sample, like the server's counters when unreadable, leaves its cells empty).
 * A file that cannot be written is a UsageError (exit 2), thrown before anything runs; the file
 * itself is left as it is until start().
 */
export function openSampleOut(flag: string, path: string, columns: string[]): SampleOut {
  const csv = path.toLowerCase().endsWith('.csv');
  const toStdout = path === '-';
  if (path.trim() === '') throw usageError(flag, 'needs a file name (- for stdout)', path);
  if (!toStdout) {
    const code = unwritable(path);
    if (code !== null) throw new UsageError(`${flag}: cannot open ${path} for writing: ${code}`);
    checkNotRedirected(flag, path, 'samples');
  }
  // What the lines on stderr call it.
  const name = toStdout ? 'stdout' : path;
  let fd = -1;
  let started = false;
  let closed = false;
  let written = 0;
  let failure: string | null = null;
  // A failed write (a full disk, a reader gone): say so once, and let the run finish without its samples.
  const fail = (err: unknown) => {
    if (failure !== null) return;
    const code = errorCode(err);
    failure = `${flag}: ${name} holds only the first ${written} sample(s): a write failed (${code})`;
    process.stderr.write(`iocp-bench: ${flag}: cannot write ${name}: ${code}; no more samples written\n`);
  };
  // stdout is written asynchronously (a pipe): the writes not yet ended, and who waits for them.
  // Any 'error' on stdout while it carries the samples (from start() until closed and settled)
  // fails them too; the command's own listener (cli.ts) keeps it from being unhandled after. Once
  // closed and settled it goes, a turn of the event loop later: after a failed write the stream
  // emits its 'error' a tick after the write's callback.
  let pending = 0;
  const waiting: (() => void)[] = [];
  const onStdoutError = (err: Error) => fail(err);
  const release = () => {
    if (pending > 0) return;
    for (const resolve of waiting.splice(0)) resolve();
    if (closed) setImmediate(() => process.stdout.off('error', onStdoutError));
  };
  const put = (text: string, sample: boolean): boolean => {
    if (closed || failure !== null) return false;
    try {
      if (toStdout) {
        pending++;
        try {
          process.stdout.write(text, (err) => {
            pending--;
            if (err) fail(err);
            else if (sample) written++;
            release();
          });
        } catch (err) {
          pending--;
          throw err;
        }
      } else {
        const bytes = Buffer.from(text);
        // A disk that fills up mid-line writes part of it: the line is lost as much as unwritten.
        if (writeSync(fd, bytes) < bytes.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
        if (sample) written++;
      }
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  };
  const start = () => {
    if (started) return;
    started = true;
    if (closed) return; // closed before the run started: the file stays as it was
    if (toStdout) process.stdout.on('error', onStdoutError);
    else {
      try {
        fd = openSync(path, 'w');
      } catch (err) {
        // Writable at the check, not now (removed, its permissions changed): as a write that fails.
        const code = errorCode(err);
        failure = `${flag}: ${path} holds no samples: it could not be opened (${code})`;
        process.stderr.write(`iocp-bench: ${flag}: cannot open ${path} for writing: ${code}; no samples written\n`);
        return;
      }
    }
    if (csv) put(columns.join(',') + '\n', false);
  };
  return {
    toStdout,
    start,
    write(sample) {
      start();
      put(csv ? columns.map((c) => csvCell(valueAt(sample, c))).join(',') + '\n' : JSON.stringify(sample) + '\n', true);
    },
    lost: () => failure,
    // Bounded: a reader that stays but stops reading holds the writes; their outcome is then not
    // known by the end (no failure so far), and the bin's exit still waits for them (bin/iocp-bench.js).
    settled: () =>
      pending === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiting.push(resolve);
            setTimeout(resolve, SETTLE_LIMIT_MS).unref();
          }),
    close() {
      if (fd >= 0) closeSync(fd);
      fd = -1;
      closed = true;
      release();
    },
  };
}
