// `server --backend node` with an option the node backend cannot honour exits 2 with one line
// naming it, before anything listens (it used to serve without it, exit 0); with none, it serves.
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

const NODE = ['server', '-p', '0', '--no-stats', '--duration', '300ms', '--backend', 'node'];

it.each([
  [['-w', '7'], `iocp-bench: --workers: needs a completion backend (epoll or iocp): the node backend runs one thread, Node's own (got "7")`],
  [['--send-buffer', '4k'], `iocp-bench: --send-buffer: needs a completion backend (epoll or iocp): the node backend leaves every socket's send buffer to the OS (got "4096")`],
  [['--no-io-uring'], 'iocp-bench: --no-io-uring: needs the epoll backend: the node backend has no io_uring batching to turn off'],
])('server --backend node %j: exit 2, one line', async (args, line) => {
  const r = await runCliProcess([...NODE, ...args]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe(line);
  expect(r.stdout).not.toMatch(/listening|echo on/);
});

it('server --backend node with the defaults serves, one worker', async () => {
  const r = await runCliProcess(NODE);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^iocp-bench server: node, 1 worker, /);
});
