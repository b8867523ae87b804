/**
 * Errors with a stable `code`. The CLI maps them to exit codes: a UsageError exits 2,
 * anything else that is an IocpBenchError exits 1. Neither prints a stack trace.
 */
export class IocpBenchError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad flag, a value out of range, an option that makes no sense here: exit 2. */
export class UsageError extends IocpBenchError {
  constructor(message: string, code = 'E_USAGE') {
    super(code, message);
  }
}

/**
 * The one form of a usage message, for every command and the library alike:
 * `--flag: what is wrong (got "value")`. `got` is the value as given, or as it was read (a
 * parsed count, a duration in its largest whole unit); omitted when no single value is at fault.
 */
export function usageError(flag: string, problem: string, got?: unknown): UsageError {
  return new UsageError(got === undefined ? `${flag}: ${problem}` : `${flag}: ${problem} (got "${String(got)}")`);
}

/** The platform cannot run what was asked (for example `--backend iocp` on Linux): exit 1. */
export class UnsupportedError extends IocpBenchError {
  constructor(message: string) {
    super('E_UNSUPPORTED', message);
  }
}

/**
 * A failed OS call, with a portable code (EADDRINUSE, ECONNRESET, ...) and the raw OS number
 * (errno on Linux, the Win32/WSA error on Windows) kept for the log.
 */
export class SysError extends IocpBenchError {
  readonly syscall: string;
  readonly errno: number;
  constructor(syscall: string, code: string, errno: number, detail?: string) {
    super(code, `${syscall} failed: ${code} (${errno})${detail ? ` ${detail}` : ''}`);
    this.syscall = syscall;
    this.errno = errno;
  }
}

/** Exit code for an error thrown out of a command. */
export function exitCodeFor(err: unknown): number {
  return err instanceof UsageError ? 2 : 1;
}

/** An error as the JSON outputs carry it: its message as the one reason, its code (E_RUNTIME when it has none). */
function errorFields(err: unknown): { reasons: string[]; error: { code: string } } {
  const code = err instanceof IocpBenchError ? err.code : 'E_RUNTIME';
  return { reasons: [err instanceof Error ? err.message : String(err)], error: { code } };
}

/**
 * The one object `flood --json` prints on an error instead of a result:
 * `{"verdict":"ERROR","reasons":[message],"error":{"code":...}}`, with its newline.
 */
export function errorJsonLine(err: unknown): string {
  return `${JSON.stringify({ verdict: 'ERROR', ...errorFields(err) })}\n`;
}

/**
 * The line `server --json` logs on an error that stops it before or while it starts:
 * `{"event":"error","reasons":[message],"error":{"code":...}}`, with its newline.
 */
export function errorEventLine(err: unknown): string {
  return `${JSON.stringify({ event: 'error', ...errorFields(err) })}\n`;
}
