// --source names addresses the connections bind to; one this machine does not have is a usage
// error before the run (each is bound once, on a UDP socket), not a run whose every connection
// fails to bind. 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address.
import { describe, expect, it } from 'vitest';
import { checkSourcesLocal } from '../../src/client/sourceAddresses.js';
import { UsageError } from '../../src/errors.js';
import { runCliProcess } from '../helpers/cli.js';

describe('--source addresses this machine lacks', () => {
  it('flood --source 192.0.2.1: exit 2, one line, nothing run', async () => {
    const r = await runCliProcess(['flood', '-n', '10', '--source', '192.0.2.1', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^iocp-bench: --source: not an address of this machine \(binding it: E[A-Z]+\) \(got "192\.0\.2\.1"\)\n$/);
  });

  it('local addresses pass; among many, a missing one is found', async () => {
    await expect(checkSourcesLocal(['127.0.0.1'])).resolves.toBeUndefined();
    const many = [...Array.from({ length: 1000 }, () => '127.0.0.1'), '192.0.2.1'];
    await expect(checkSourcesLocal(many)).rejects.toThrow(UsageError);
  });
});
