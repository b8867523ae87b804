// A descriptor limit that holds fewer sessions than --max-sessions is said at start-up, on stderr:
// the connections beyond it would be reset and counted as rejected, which a run (a merge, above
// all) shows only as network errors. The room is the limit less --fd-reserve and the descriptors
// the server holds by then; within it, no warning.
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/serverProcess.js';

const WARNING = /^iocp-bench server: warning: this process may open (\d+) more descriptor\(s\) for sessions, fewer than --max-sessions (\d+) \(a session takes one, two while its echo waits on a slow reader\): connections beyond them are reset and counted as rejected \(raise the hard limit: ulimit -Hn, LimitNOFILE=\)$/m;

// prlimit and the descriptor reserve are Linux's (the epoll backend's).
describe.runIf(process.platform === 'linux')('a descriptor limit below --max-sessions', () => {
  const under600 = ['prlimit', '--nofile=600:600', '--'];

  it('is a warning naming the room and the setting', async () => {
    const server = await startServerProcess(['--workers', '1'], 15_000, under600);
    // Read once the process has exited: stderr is a pipe of its own, not ordered with stdout's lines.
    expect((await server.stop()).code).toBe(0);
    const m = WARNING.exec(server.stderr());
    expect(m, server.stderr()).not.toBeNull();
    // 600 less the reserve (80) less what the server holds: Node's own, the worker's, the stats'.
    expect(Number(m![1])).toBeGreaterThan(400);
    expect(Number(m![1])).toBeLessThan(520);
    expect(m![2]).toBe('10000');
  });

  it('within the room: no warning', async () => {
    const server = await startServerProcess(['--workers', '1', '--max-sessions', '100'], 15_000, under600);
    expect((await server.stop()).code).toBe(0);
    expect(server.stderr()).toBe('');
  });
});
