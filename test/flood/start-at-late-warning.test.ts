// A --start-at that had passed when the flood was ready is a warning in the result (as well as the
// stderr line): shards given one start time and started apart did not run together, and a merge of
// them names each late shard.
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { useEchoServer } from '../helpers/faultyServers.js';

describe('a late start', () => {
  const server = useEchoServer();

  it('more than a second late: a warning that says how late', async () => {
    const at = Date.now() - 5000;
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 2, total: 4, startAt: at, workers: 0 }).result;
    expect(r.verdict).toBe('PASS');
    expect(r.startAt!.offsetMs).toBeGreaterThan(5000);
    expect(r.warnings).toEqual([
      expect.stringMatching(new RegExp(`^began \\d+\\.\\d\\d s late: --start-at ${new Date(at).toISOString().replace(/\./g, '\\.')} had passed, so this run did not start with others given it$`)),
    ]);
  });

  it('on time: no warning', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 2, total: 4, startAt: Date.now() + 300, workers: 0 }).result;
    expect(r.startAt!.offsetMs).toBeLessThan(1000);
    expect(r.warnings).toEqual([]);
  });
});
