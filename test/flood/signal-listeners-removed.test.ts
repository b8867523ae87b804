// runCli(['flood', ...]) from code listens for SIGINT and SIGTERM from the command's start (a stop
// asked for during the start-up is kept for the run) to its end: once it has resolved, after a
// result, a bad flag or a run that could not start, the program that embeds it gets them back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/index.js';
import { captureOutput } from '../helpers/captureOutput.js';
import { useEchoServer } from '../helpers/faultyServers.js';
import { deadPort } from '../helpers/ports.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const listeners = () => SIGNALS.map((s) => process.listenerCount(s));

afterEach(() => vi.restoreAllMocks());

describe('flood from code and its signal listeners', () => {
  const server = useEchoServer();

  it('a flood that ran leaves no signal listener behind', async () => {
    const before = listeners();
    const output = captureOutput().all;
    const code = await runCli(['flood', `127.0.0.1:${server().port}`, '-d', '300ms', '-c', '2', '--json', '--no-progress']);
    expect(JSON.parse(output()).connections.started).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(listeners()).toEqual(before);
  }, 30_000);

  it('a bad flag value (exit 2) leaves no signal listener behind', async () => {
    const before = listeners();
    const output = captureOutput().all;
    const code = await runCli(['flood', `127.0.0.1:${server().port}`, '-c', 'abc', '--no-progress']);
    expect(output()).toBe('iocp-bench: --connections: not a count like 1000 or 10k (got "abc")\n');
    expect(code).toBe(2);
    expect(listeners()).toEqual(before);
  });

  it('a run that cannot start (its stats unreachable) leaves no signal listener behind', async () => {
    const before = listeners();
    const output = captureOutput().all;
    const code = await runCli(['flood', `127.0.0.1:${server().port}`, '--stats', `http://127.0.0.1:${await deadPort()}/stats`, '-d', '300ms', '-c', '2', '--no-progress']);
    expect(output()).toMatch(/^iocp-bench: .*stats/m);
    expect(code).toBe(1);
    expect(listeners()).toEqual(before);
  }, 30_000);
});
