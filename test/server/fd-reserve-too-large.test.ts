// A --fd-reserve that leaves no descriptor above the server's own (workers, their rings, the stats
// socket: all open once it has started) would reset every connection (each accepted one lands at
// or above the ceiling): a usage error at start, not a server that rejects everything in silence.
import { describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/cli.js';
import { CLI } from '../helpers/serverProcess.js';

const LIMIT = 300;

// prlimit and --fd-reserve are Linux's (the epoll backend's descriptor limit).
describe.runIf(process.platform === 'linux')('--fd-reserve against the descriptor limit', () => {
  // 250 and 276 left room above the host's own descriptors, but not above the workers'.
  it.each([[String(LIMIT)], [String(LIMIT + 1000)], [String(LIMIT - 5)], ['276'], ['250']])('--fd-reserve %s under a limit of 300: exit 2, one line', async (reserve) => {
    const r = await runProcess('prlimit', [`--nofile=${LIMIT}:${LIMIT}`, process.execPath, CLI, 'server', '--backend', 'epoll', '--port', '0', '--fd-reserve', reserve]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^iocp-bench: --fd-reserve: leaves no descriptor for sessions: this process may open ${LIMIT}, and the lowest free one is number \\d+ \\(got "${reserve}"\\)\\n$`));
  });

  // Room for --max-sessions too: a limit that holds fewer is a warning (fd-limit-warning.test.ts).
  it('a reserve that leaves room starts', async () => {
    const r = await runProcess('prlimit', [`--nofile=${LIMIT}:${LIMIT}`, process.execPath, CLI, 'server', '--backend', 'epoll', '--port', '0', '--fd-reserve', '100', '--max-sessions', '50', '--duration', '300ms']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
