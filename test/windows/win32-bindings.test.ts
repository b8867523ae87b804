// The Win32 bindings (src/native/win32/win32.ts) under Wine (or natively on Windows: wine.ts): a
// real loopback echo through AcceptEx, WSARecv, WSASend and GetQueuedCompletionStatusEx, driven by
// a client in the test's process (on Linux under Wine) over 127.0.0.1.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO_ROOT, WHERE, killWineServer, nodeFileUrl, startWineNode } from './wine.js';
import * as win32 from '../../src/native/win32/win32.js';

const fixture = path.join(REPO_ROOT, 'test', 'windows', 'fixtures', 'win32-echo.mjs');
// The built module (what the server runs; scripts/windows/test.sh builds it), and the source
// itself: node.exe 22 strips TypeScript types on its own.
const modules = [
  ['dist/', path.join(REPO_ROOT, 'dist', 'native', 'win32', 'win32.js')],
  ['the TypeScript source', path.join(REPO_ROOT, 'src', 'native', 'win32', 'win32.ts')],
] as const;

function echoOnce(port: number, payload: Buffer): Promise<{ echoed: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.write(payload, () => s.end()); // our FIN after the payload
    });
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => {
      ended = true;
    });
    s.on('error', reject);
    s.on('close', () => resolve({ echoed: Buffer.concat(chunks), ended }));
    s.setTimeout(30_000, () => s.destroy(new Error('echo timed out')));
  });
}

describe(`win32 bindings ${WHERE}`, () => {
  afterAll(() => {
    killWineServer();
  });

  it('exports the x64 layouts and constants of Win32 x64', () => {
    expect(win32.OVERLAPPED_SIZE).toBe(32);
    expect(win32.OVERLAPPED_ENTRY_SIZE).toBe(32);
    expect(win32.OVERLAPPED_ENTRY_INTERNAL).toBe(16);
    expect(win32.OVERLAPPED_ENTRY_BYTES).toBe(24);
    expect(win32.WSABUF_SIZE).toBe(16);
    expect(win32.WSABUF_BUF).toBe(8);
    expect(win32.ACCEPTEX_ADDRESS_LENGTH).toBe(32);
    expect(win32.SIO_GET_EXTENSION_FUNCTION_POINTER).toBe(0xc8000006);
    expect(Buffer.from(win32.WSAID_ACCEPTEX).toString('hex')).toBe('f17d36b5accbcf1195ca00805f48a192');
    expect(win32.SO_EXCLUSIVEADDRUSE).toBe(-5);
    expect(win32.WIN32_CONSTANTS.STATUS_CANCELLED).toBe(0xc0000120);
  });

  it.each(modules)('echoes bytes through AcceptEx, WSARecv, WSASend and GQCSEx (bindings from %s)', async (_label, file) => {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (scripts/windows/test.sh does)`);
    const p = startWineNode(fixture, { args: [nodeFileUrl(file)], name: 'win32-echo' });
    try {
      const line = await p.waitForLine('"step":"listening"', 60_000);
      const tcpPort = JSON.parse(line).tcpPort as number;
      expect(tcpPort).toBeGreaterThan(0);

      const payload = randomBytes(256 * 1024);
      const { echoed, ended } = await echoOnce(tcpPort, payload);
      expect(ended).toBe(true); // the server's shutdown(SD_SEND)
      expect(echoed.length).toBe(payload.length);
      expect(echoed.equals(payload)).toBe(true);

      await p.waitForLine('"step":"done"', 30_000);
      const exit = await p.waitForExit(30_000);
      expect(p.stderr()).toBe('');
      expect(exit.code).toBe(0);

      const steps = new Map<string, any>();
      for (const l of p.lines()) {
        const o = JSON.parse(l);
        steps.set(o.step, o);
      }
      const get = (s: string) => {
        if (!steps.has(s)) throw new Error(`no ${s} in:\n${p.stdout()}`);
        return steps.get(s);
      };
      expect(steps.has('mismatch')).toBe(false);
      expect(steps.has('unexpected')).toBe(false);
      expect(get('WSAStartup').rc).toBe(0);
      expect(get('listener')).toMatchObject({ pton: 1, bindRc: 0, listenRc: 0, gsn: 0, nameLen: 16, assocIsPort: true, addr: '127.0.0.1' });
      expect(get('AcceptEx-pointer')).toMatchObject({ nonNull: true, type: 'bigint' });
      const ax = get('AcceptEx');
      expect(ax.ok === 1 || ax.pending).toBe(true);

      const echo = get('echo');
      expect(echo.accepted).toMatchObject({ key: 1, status: 0, bytes: 0, upd: 0, assocIsPort: true, notif: 1, gpn: 0, peer: '127.0.0.1' });
      expect(echo.echoed).toBe(payload.length);
      expect(echo.recvs).toBeGreaterThan(1);
      expect(echo.sends).toBeGreaterThan(0);
      expect(echo.eof).toEqual({ shutdown: 0, linger: 0, getsockopt: 0, lingerBack: [1, 5], close: 0 });

      const cancel = get('cancel');
      expect(cancel.aok === 1 || cancel.aerr === win32.WSA_IO_PENDING).toBe(true);
      expect(cancel).toMatchObject({ cancelNotPending: 0, notPendingErr: win32.ERROR_NOT_FOUND, cancel: 1 });
      expect(get('cancelled-accept')).toMatchObject({
        key: 1,
        status: win32.STATUS_CANCELLED,
        dos: win32.ERROR_OPERATION_ABORTED,
        gor: 0,
        wsaErr: win32.WSA_OPERATION_ABORTED,
        close: 0,
      });
      expect(get('post-wake').ok).toBe(1);
      expect(get('GetQueuedCompletionStatus')).toEqual({ step: 'GetQueuedCompletionStatus', ok: 1, bytes: 5, key: 99, overlapped: 0 });
      expect(get('worker-exit').code).toBe(0);
      expect(get('cleanup')).toEqual({ step: 'cleanup', closeListen: 0, closePort: 1, cleanup: 0 });
    } finally {
      await p.kill();
      p.cleanup();
    }
  });
});
