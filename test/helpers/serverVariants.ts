import { ioUringAvailable } from '../../src/native/platform.js';
import type { BackendName } from '../../src/server/types.js';

/** A server configuration behaviour tests run against: its backend and its CLI arguments. */
export interface ServerVariant {
  name: string;
  backend: BackendName;
  args: string[];
  /** Its workers batch their calls through io_uring. */
  ioUring: boolean;
}

const epoll = (ioUring: boolean): ServerVariant => ({
  name: ioUring ? 'epoll + io_uring' : 'epoll, plain calls',
  backend: 'epoll',
  args: ['--backend', 'epoll', ...(ioUring ? [] : ['--no-io-uring'])],
  ioUring,
});
const node: ServerVariant = { name: 'node', backend: 'node', args: ['--backend', 'node'], ioUring: false };
const iocp: ServerVariant = { name: 'iocp', backend: 'iocp', args: ['--backend', 'iocp'], ioUring: false };

/** Every server configuration this OS runs: the completion backend (each way it can run), then node. */
export const SERVER_VARIANTS: ServerVariant[] =
  process.platform === 'linux'
    ? [...(ioUringAvailable() ? [epoll(true)] : []), epoll(false), node]
    : process.platform === 'win32'
      ? [iocp, node]
      : [node];

/** The completion backends among them. */
export const COMPLETION_VARIANTS = SERVER_VARIANTS.filter((v) => v.backend !== 'node');
