// `--lifetime naive` frees a session while its other operation is pending; the same abuse
// that leaves the refcount lifetime clean must expose it: stale completions, double frees,
// or bytes arriving on the wrong connection.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { settle, useServerProcess } from '../helpers/serverProcess.js';

describe('naive lifetime (the tutorial bug, on purpose)', () => {
  const server = useServerProcess(['--lifetime', 'naive']);

  it('is caught by the abuse run', async () => {
    const r = await abuse({ port: server().port, perMode: 1000, perConnectionTimeoutMs: 5000 });
    // The tutorial's symptoms: completions for a freed/reused session, or bytes on the wrong
    // connection. Either proves a completion touched memory that was no longer its own. Stale
    // completions can land after the last client is gone: wait for one, bounded.
    const s = await settle(server().stats, (x) => x.staleCompletions + r.crossTalk > 0, 10_000);
    expect(s.staleCompletions + r.crossTalk).toBeGreaterThan(0);
  }, 120_000);
});
