// The native code lays its structures out at x86-64's offsets (arm64's epoll_event is 16 bytes,
// not 12): on another processor the completion backends and the native flood transports refuse
// to run, saying why, instead of reading events at the wrong offsets; the node backend and the
// net transport still run there.
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/server/backends.js';
import { resolveTransport } from '../../src/client/options.js';

const real = Object.getOwnPropertyDescriptor(process, 'arch')!;
const onArch = (arch: string) => Object.defineProperty(process, 'arch', { ...real, value: arch });
afterEach(() => Object.defineProperty(process, 'arch', real));

describe.runIf(process.arch === 'x64' && (process.platform === 'linux' || process.platform === 'win32'))('on arm64', () => {
  const native = process.platform === 'win32' ? 'iocp' : 'epoll';

  it('x86-64 itself runs the completion backend', () => {
    expect(resolveBackend('auto')).toBe(native);
  });

  it('the server: no completion backend, auto or asked for; node still runs', () => {
    onArch('arm64');
    expect(() => resolveBackend('auto')).toThrow(`no completion backend for ${process.platform} on arm64: use --backend node`);
    expect(() => resolveBackend(native)).toThrow(/needs (Linux|Windows) on x86-64; this is \w+ on arm64$/);
    expect(resolveBackend('node')).toBe('node');
  });

  it('the flood: auto picks the net transport; native and uring are refused', () => {
    onArch('arm64');
    expect(resolveTransport('auto', '127.0.0.1')).toBe('net');
    expect(() => resolveTransport('native', '127.0.0.1')).toThrow(/needs Linux on x86-64/);
    expect(() => resolveTransport('uring', '127.0.0.1')).toThrow(/needs Linux on x86-64/);
  });
});
