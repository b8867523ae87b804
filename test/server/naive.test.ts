// `--lifetime naive` (the tutorial bug: a session freed while its other operation is pending) is
// exposed by the abuse run that leaves the refcount lifetime clean: stale completions, bytes
// arriving on the wrong connection, or a server that dies of it.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { settle, useServerProcess } from '../helpers/serverProcess.js';
import { COMPLETION_VARIANTS } from '../helpers/serverVariants.js';

describe.each(COMPLETION_VARIANTS)('the $name backend, naive lifetime (the tutorial bug, on purpose)', ({ args, launcher }) => {
  const server = useServerProcess([...args, '--lifetime', 'naive'], launcher.start);

  it('is caught by the abuse run', async () => {
    const r = await abuse({ port: server().port, perMode: launcher.size(1000), perConnectionTimeoutMs: 5000 });
    // The tutorial's symptoms: completions for a freed/reused session, or bytes on the wrong
    // connection. Either proves a completion touched memory that was no longer its own. Stale
    // completions can land after the last client is gone: wait for one, bounded.
    const s = await settle(server().stats, (x) => x.staleCompletions + r.crossTalk > 0, 10_000).catch(() => null);
    if (s === null) {
      // Its stats endpoint is gone: the tutorial bug's other symptom, a crash. Under Wine it can
      // take node.exe, or Wine's own wineserver (an assertion in server/fd.c), down with it. Caught
      // too, provided the server really stopped answering, not one request that failed.
      await new Promise((res) => setTimeout(res, 2000));
      const again = await server().stats().then(() => 'answers', () => 'gone');
      expect(again, `the stats endpoint failed once, then answered: ${server().stderr().slice(-300)}`).toBe('gone');
      return;
    }
    expect(s.staleCompletions + r.crossTalk).toBeGreaterThan(0);
    // The tutorial's receives carry their buffer: no zero-byte reads (IOCP) in this lifetime.
    expect(s.extra.zeroByteReads).toBe(0);
  }, 120_000);
});
