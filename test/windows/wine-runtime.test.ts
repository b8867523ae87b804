// Proves the Wine runner: Windows node.exe starts, koffi loads with its win32 binary, and a
// completion port posted from one thread is dequeued by GetQueuedCompletionStatusEx in a worker.
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { REPO_ROOT, killWineServer, runWineNode, startWineNode, winFileUrl, winPath } from './wine.js';

const fixture = (name: string) => path.join(REPO_ROOT, 'test', 'windows', 'fixtures', name);

function parseLines(stdout: string): Record<string, any>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}

describe('Wine runner', () => {
  afterAll(() => {
    killWineServer();
  });

  it('maps Linux paths to drive Z:', () => {
    expect(winPath('/work/main/x.js')).toBe('Z:\\work\\main\\x.js');
    expect(winFileUrl('/work/main/a b.mjs')).toBe('file:///Z:/work/main/a%20b.mjs');
  });

  it('runs node.exe with argv and environment, output in files', async () => {
    const r = await runWineNode(fixture('echo-env.mjs'), {
      args: ['one', 'two words', winPath(REPO_ROOT)],
      env: { IOCP_WINE_TEST_VAR: 'hello wine' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out.platform).toBe('win32');
    expect(out.version).toMatch(/^v22\./);
    expect(out.argv).toEqual(['one', 'two words', winPath(REPO_ROOT)]);
    expect(out.env).toBe('hello wine');
    expect(out.cwd).toBe(winPath(REPO_ROOT));
    expect(out.repoExists).toBe(true);
  });

  it('reports a non-zero exit code and stderr', async () => {
    const r = await runWineNode(fixture('echo-env.mjs'), { args: ['--exit', '3'] });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exiting with 3');
  });

  it('waits for a line and kills a process that would run forever', async () => {
    const p = startWineNode(fixture('echo-env.mjs'), { args: ['--hang'] });
    try {
      const line = await p.waitForLine('hanging', 60_000);
      expect(line).toContain('hanging');
      await expect(p.waitForExit(500)).rejects.toThrow(/still running/);
      const info = await p.kill();
      expect(p.exited).toBe(true);
      expect(info.code === 0).toBe(false);
    } finally {
      p.cleanup();
    }
  });

  it('delivers SIGINT to node.exe as Ctrl-C (a graceful stop)', async () => {
    const p = startWineNode(fixture('echo-env.mjs'), { args: ['--hang'] });
    try {
      // The handler is installed before the line is printed.
      await p.waitForLine('hanging', 60_000);
      p.signal('SIGINT');
      const info = await p.waitForExit(15_000);
      expect(info.code).toBe(5);
      expect(p.lines()).toContain('interrupted');
    } finally {
      await p.kill();
      p.cleanup();
    }
  });

  it('loads koffi, kernel32 and ws2_32, and moves packets through a completion port to a worker', async () => {
    const r = await runWineNode(fixture('iocp-runtime.mjs'), { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = parseLines(r.stdout);
    const step = (name: string) => {
      const found = lines.find((l) => l.step === name);
      if (!found) throw new Error(`no ${name} in output:\n${r.stdout}`);
      return found;
    };
    expect(step('koffi')).toMatchObject({ version: '3.3.4', platform: 'win32', arch: 'x64' });
    expect(step('WSAStartup')).toEqual({ step: 'WSAStartup', rc: 0, wVersion: 0x0202 });
    expect(step('CreateIoCompletionPort').ok).toBe(true);
    expect(step('GetLastError')).toMatchObject({ closeBad: 0, lastError: 6 }); // ERROR_INVALID_HANDLE
    const posted = step('posted');
    expect(posted).toMatchObject({ p1: 1, p2: 1 });
    const deq = step('GetQueuedCompletionStatusEx');
    expect(deq.entries).toEqual([
      { key: 7, overlapped: posted.ovAddr, internal: 0, bytes: 123 },
      { key: 42, overlapped: 0, internal: 0, bytes: 0 },
    ]);
    expect(deq.workerTid).not.toBe(posted.mainTid);
    expect(deq.timeout).toEqual({ ok: 0, error: 258 }); // WAIT_TIMEOUT
    expect(step('worker-exit').code).toBe(0);
    expect(step('CloseHandle').ok).toBe(1);
    expect(step('WSACleanup').rc).toBe(0);
    step('done');
  });
});
