/** Runs a process (the real CLI, or any command) to completion, bounded, and returns its exit code and output. */
import { spawn, type SpawnOptions } from 'node:child_process';
import { CLI } from './serverProcess.js';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How long output is still read after a process exits, where something else holds its pipes open (ms). */
export const EXIT_GRACE_MS = 2000;

/** Runs `cmd args` (killed after `timeoutMs`) with stdout and stderr collected. */
export function runProcess(
  cmd: string,
  args: string[],
  timeoutMs = 30_000,
  options: Pick<SpawnOptions, 'cwd' | 'env' | 'shell'> & { stdin?: number } = {},
): Promise<ProcessResult> {
  const { stdin = 'ignore', ...spawnOptions } = options;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...spawnOptions, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    let exitCode: number | null = null;
    let grace: NodeJS.Timeout | undefined;
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const finish = () => {
      clearTimeout(t);
      clearTimeout(grace);
      child.stdout!.destroy();
      child.stderr!.destroy();
      resolve({ code: exitCode, stdout, stderr });
    };
    // 'exit' can come before the last of the output has been read; 'close' comes once both pipes
    // have ended. A child of the child may hold them open: then the output ends EXIT_GRACE_MS on.
    child.once('exit', (code) => {
      exitCode = code;
      clearTimeout(t);
      grace = setTimeout(finish, EXIT_GRACE_MS);
    });
    child.once('close', (code) => {
      exitCode ??= code;
      finish();
    });
  });
}

/** Runs the real CLI (`bin/iocp-bench.js`) with `args`. */
export function runCliProcess(args: string[], timeoutMs = 30_000): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, ...args], timeoutMs);
}

/** The code a write to a pipe whose reader is gone fails with, as a pattern: EPIPE; Windows has its own. */
export const CLOSED_PIPE_CODE = process.platform === 'win32' ? '[A-Z_]+' : 'EPIPE';

/**
 * Runs the CLI with `args`, closes its stdout after the first line (`atOnce`: before any), and
 * waits (bounded) for its end.
 */
export function readFirstLineThenClose(args: string[], timeoutMs: number, atOnce = false): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    if (atOnce) child.stdout.destroy();
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) child.stdout.destroy(); // the reader is gone: the next write gets EPIPE
    });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(t);
      resolve({ code, first: out.split('\n')[0]!, stderr });
    });
  });
}
