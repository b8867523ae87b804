// deploy/kubernetes/echo-server.deployment.json: the server container's arguments go through the
// real `iocp-bench server` command (commander, the flag parsing, validateServerOptions), hold the
// flood Job's whole load, listen where the container's ports and the Service say, the readiness
// probe's port among them; and the real CLI starts with them on loopback, takes a TCP connect on
// its stats port as the probe makes one, and exits 0.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { resolveFloodOptions } from '../../src/client/options.js';
import { addServerCommand } from '../../src/server/serverCommand.js';
import type { ServerOptions } from '../../src/server/types.js';
import { validateServerOptions } from '../../src/server/validate.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';
import { CLI, REPO } from '../helpers/serverProcess.js';

/** Thrown by the stand-in startServer with the options the command would start a server with. */
const { Started } = vi.hoisted(() => ({
  Started: class Started extends Error {
    constructor(readonly options: Partial<ServerOptions>) {
      super('startServer() called');
    }
  },
}));

// The command loads the server only to start it: in its place, a startServer() that hands back
// the options it was given.
vi.mock('../../src/server/server.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/server/server.js')>()),
  startServer: async (options: Partial<ServerOptions>) => {
    throw new Started(options);
  },
}));

const K8S = path.join(REPO, 'deploy', 'kubernetes');
const read = (file: string) => JSON.parse(readFileSync(path.join(K8S, file), 'utf8'));
const serverContainer = (): IContainer => read('echo-server.deployment.json').spec.template.spec.containers[0];

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** `args` (`server ...`) through the real command: its options, checked as startServer() checks them. */
async function parseServerArgs(args: string[]): Promise<ServerOptions> {
  const program = new Command('iocp-bench').exitOverride().configureOutput({ writeErr: () => undefined });
  addServerCommand(program);
  program.commands.find((c) => c.name() === 'server')!.exitOverride();
  // The command listens for the stop signals before it starts the server: take those listeners off again.
  const before = new Map(STOP_SIGNALS.map((s) => [s, process.listeners(s)]));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof Started) return validateServerOptions(err.options);
    throw err;
  } finally {
    for (const s of STOP_SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l);
  }
  throw new Error(`${args.join(' ')}: the command did not start a server`);
}

describe('deploy/kubernetes echo server', () => {
  it('takes arguments the server command accepts, for the whole flood Job at once', async () => {
    const container = serverContainer();
    const args = container.args!;
    expect(args[0]).toBe('server');
    const o = await parseServerArgs(args);
    // Reachable from other pods, on the container's named ports.
    expect(o.host).toBe('0.0.0.0');
    expect(o.statsHost).toBe('0.0.0.0');
    const port = (name: string) => container.ports!.find((p) => p.name === name)?.containerPort;
    expect(o.port).toBe(port('echo'));
    expect(o.statsPort).toBe(port('stats'));
    // The readiness probe connects to the stats port the server listens on, not to the echo port.
    const probed = container.readinessProbe!.tcpSocket!.port;
    expect(typeof probed === 'string' ? port(probed) : probed).toBe(o.statsPort);
    // Every connection the Job's shards hold at once has a session.
    const job = read('flood.job.json').spec.template.spec.containers[0] as IContainer;
    const env = (name: string) => job.env!.find((e) => e.name === name)!.value!;
    const flood = resolveFloodOptions(parseFloodArgv([env('TARGET'), ...env('FLOOD_ARGS').trim().split(/\s+/)]));
    expect(flood.plan.connections).toBe(24_000);
    expect(o.maxSessions).toBeGreaterThanOrEqual(flood.plan.connections);
  });

  it('refuses what the server refuses at its start', async () => {
    await expect(parseServerArgs(['server', '--max-sessions', '200k'])).rejects.toThrow(/over the 2 GiB limit/);
    await expect(parseServerArgs(['server', '--max-sessions', 'lots'])).rejects.toThrow(/--max-sessions/);
    await expect(parseServerArgs(['server', '--no-such-flag'])).rejects.toThrow(/unknown option/);
  });

  // The real CLI with the container's arguments, on loopback: free ports, a short --duration.
  it.skipIf(process.platform === 'win32')('starts with them and stops cleanly', async () => {
    const args = [...serverContainer().args!];
    const set = (flag: string, value: string) => {
      const i = args.indexOf(flag);
      expect(i, flag).toBeGreaterThan(0);
      args[i + 1] = value;
    };
    set('--host', '127.0.0.1');
    set('--stats-host', '127.0.0.1');
    set('--port', '0');
    set('--stats-port', '0');
    const exec = promisify(execFile)(process.execPath, [CLI, ...args, '--duration', '1s'], { timeout: 30_000 });
    // The readiness probe's connect, as the kubelet makes it: open, then close with no request.
    const probes = new Promise<number>((resolve, reject) => {
      let out = '';
      const stdout = exec.child.stdout!;
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const m = /stats http:\/\/127\.0\.0\.1:(\d+)\/stats/.exec(out);
        if (!m) return;
        stdout.off('data', onData);
        const connectOnce = () =>
          new Promise<void>((done, fail) => {
            const socket = connect(Number(m[1]), '127.0.0.1', () => socket.end(done));
            socket.on('error', fail);
          });
        connectOnce().then(connectOnce).then(connectOnce).then(() => resolve(3), reject);
      };
      stdout.on('data', onData);
    });
    // Handled here too: it may fail while the run is still awaited (its rejection is asserted below).
    probes.catch(() => {});
    const run = await exec.then(
      (r) => ({ code: 0, ...r }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );
    expect(run, 'the server exits 0').toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/echo on 127\.0\.0\.1:\d+, stats http:\/\/127\.0\.0\.1:\d+\/stats/);
    expect(await probes, 'TCP connects to the stats port, each accepted').toBe(3);
  });
});
