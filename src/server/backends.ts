/**
 * The one platform switch: which completion backend this OS runs, and the lazy loading of its
 * host (main thread) and port (worker thread) halves. This is the only module that reads
 * process.platform to choose a backend.
 */
import { UnsupportedError } from '../errors.js';
import { nativeArch } from '../native/arch.js';
import type { BackendHost, HostContext, PortBackend, WorkerInit } from './completion.js';
import type { SessionTable } from './sessionTable.js';
import type { BackendName, ServerOptions } from './types.js';

/** Which completion backend this OS runs; `node` is handled apart (it has no workers). */
export function resolveBackend(requested: ServerOptions['backend']): BackendName {
  const os: BackendName | null = process.platform === 'win32' ? 'iocp' : process.platform === 'linux' ? 'epoll' : null;
  const native = nativeArch() ? os : null;
  if (requested === 'auto') {
    if (native) return native;
    throw new UnsupportedError(
      `no completion backend for ${process.platform} on ${process.arch}: use --backend node (a baseline on Node's net module)`,
    );
  }
  if (requested === 'node' || requested === native) return requested;
  const where = requested === 'iocp' ? 'Windows' : 'Linux';
  throw new UnsupportedError(`--backend ${requested} needs ${where} on x86-64; this is ${process.platform} on ${process.arch}`);
}

export async function createHost(ctx: HostContext, name: BackendName): Promise<BackendHost> {
  if (name === 'epoll') return (await import('./epoll/host.js')).createEpollHost(ctx);
  if (name === 'iocp') return (await import('./iocp/host.js')).createIocpHost(ctx);
  throw new UnsupportedError(`backend ${name} has no completion port`);
}

export async function createPortBackend(
  init: WorkerInit,
  table: SessionTable,
  counters: Float64Array,
): Promise<PortBackend> {
  if (init.backend === 'epoll')
    return (await import('./epoll/port.js')).createEpollPort(init, table, counters);
  if (init.backend === 'iocp')
    return (await import('./iocp/port.js')).createIocpPort(init, table, counters);
  throw new UnsupportedError(`backend ${init.backend} has no completion port`);
}
