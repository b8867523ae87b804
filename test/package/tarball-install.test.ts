// The package as a user installs it: `npm pack`, then `npm install <tarball>` into an empty
// folder with the npm on this machine. The install names no install script of this package (npm
// 11 may list koffi's, the one the README explains); `npx iocp-bench --version` and a small flood
// work from there; and the installed command, stopped by `timeout` with SIGINT or SIGTERM, has its
// whole report out when `timeout` returns, exits with the flood's own code, and leaves no process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type ProcessResult } from '../helpers/cli.js';
import { REPO } from '../helpers/serverProcess.js';

/** `cmd args` in `cwd`, without colour; npm and npx are .cmd scripts on Windows, which Node starts only through a shell. */
const run = (cmd: string, args: string[], cwd: string, timeoutMs = 120_000) =>
  runProcess(cmd, args, timeoutMs, { cwd, env: { ...process.env, NO_COLOR: '1' }, shell: process.platform === 'win32' });

/** Processes whose command line names `dir` (the installed command's path is in it). */
function processesIn(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(dir) && !l.includes(' ps '));
}

describe('the packed tarball, installed', () => {
  let work: string;
  let app: string;
  let install: ProcessResult;
  const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'iocp-bench-pack-'));
    // dist/ is built (npm test builds first): pack it as it is.
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32',
    });
    const tarball = path.join(work, (JSON.parse(packed) as Array<{ filename: string }>)[0]!.filename);
    app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app, 300_000);
  }, 320_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs with no warning about this package and only the documented one about a dependency', () => {
    expect(install.code, install.stderr).toBe(0);
    const output = `${install.stdout}\n${install.stderr}`;
    expect(output).not.toMatch(/iocp-bench@/);
    // npm 11 lists the packages whose install scripts no allowScripts covers: at most koffi.
    const listed = output.split('\n').filter((l) => /^npm warn install-scripts\s+\S+@\S+ \(/.test(l));
    expect(listed.map((l) => /^npm warn install-scripts\s+(\S+)@/.exec(l)![1])).toEqual(listed.length ? ['koffi'] : []);
    expect(output.split('\n').filter((l) => /warn/i.test(l) && !/install-scripts/.test(l))).toEqual([]);
  });

  it('npx iocp-bench --version and a small flood work', async () => {
    const v = await run('npx', ['iocp-bench', '--version'], app);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const f = await run('npx', ['iocp-bench', 'flood', '-c', '50', '-n', '200'], app);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout.trimEnd().split('\n').at(-1)).toBe('PASS');
  }, 120_000);

  // timeout(1) and signals to a child process are POSIX; Node cannot send them on Windows.
  it.skipIf(process.platform === 'win32').each(['INT', 'TERM'])('the installed command under `timeout -s %s`: the whole report, the flood\'s exit code, nothing left', async (sig) => {
    const bin = path.join(app, 'node_modules', '.bin', 'iocp-bench');
    const r = await run('timeout', ['--preserve-status', '-s', sig, '3', bin, 'flood', '-d', '10s', '-c', '20'], app, 60_000);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^iocp-bench flood -> /);
    expect(lines.at(-1)).toBe('PASS (stopped early)');
    expect(r.stderr).toMatch(/^flood: stopping: no new connections/m);
    expect(processesIn(app)).toEqual([]);
  }, 90_000);
});
