// What the flood's command line owes a person and a script: `help` exits 0; --json prints one
// object on an error too (verdict ERROR) beside the error's line; NO_COLOR and FORCE_COLOR decide
// colour; IPv6 hosts in brackets; --hold is in the JSON's options.
import { describe, expect, it } from 'vitest';
import { hostPort, useColor } from '../../src/client/cli/report.js';
import { runCliProcess } from '../helpers/cli.js';
import { useEchoServer } from '../helpers/faultyServers.js';
import { deadPort } from '../helpers/ports.js';

describe('flood command-line conventions', () => {
  const server = useEchoServer();

  it('`help flood` prints the flood help and exits 0', async () => {
    const r = await runCliProcess(['help', 'flood']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: iocp-bench flood/m);
  });

  it.each([
    [['flood', '-c', '0', '--json'], 2, 'E_USAGE', /^--connections: must be a whole number/],
    [['flood', '127.0.0.1:PORT', '--stats', 'http://127.0.0.1:PORT/stats', '--json'], 1, 'E_STATS', /^cannot read server stats from http:\/\/127\.0\.0\.1:\d+\/stats: ECONNREFUSED$/],
  ] as const)('--json on an error prints one ERROR object: %j', async (args, code, errorCode, message) => {
    const closed = String(await deadPort());
    const r = await runCliProcess(args.map((a) => a.replace('PORT', closed)));
    expect(r.code).toBe(code);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j).toEqual({ verdict: 'ERROR', reasons: [expect.stringMatching(message)], error: { code: errorCode } });
    expect(r.stderr).toBe(`iocp-bench: ${j.reasons[0]}\n`);
  });

  it('colour follows NO_COLOR, FORCE_COLOR, then the terminal', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor({ isTTY: false }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('an IPv6 host is shown in brackets', () => {
    expect(hostPort('::1', 7777)).toBe('[::1]:7777');
    expect(hostPort('127.0.0.1', 7777)).toBe('127.0.0.1:7777');
  });

  it('--hold is in the JSON options', async () => {
    const r = await runCliProcess(['flood', `127.0.0.1:${server().port}`, '-n', '5', '--hold', '10ms-20ms', '--workers', '0', '--json', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).options.holdMs).toEqual({ min: 10, max: 20 });
  });
});
