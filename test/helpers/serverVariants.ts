import { ioUringAvailable } from '../../src/native/platform.js';
import type { BackendName } from '../../src/server/types.js';
import { LAUNCHER, type ServerLauncher } from './serverLaunchers.js';

/**
 * A server configuration behaviour tests run against: its backend, its CLI arguments, and how
 * it is started (under node, or under Wine: see serverLaunchers.ts).
 */
export interface ServerVariant {
  name: string;
  backend: BackendName;
  args: string[];
  /** Its workers batch their calls through io_uring. */
  ioUring: boolean;
  launcher: ServerLauncher;
}

const variant = (name: string, backend: BackendName, args: string[], ioUring = false): ServerVariant => ({
  name: name + LAUNCHER.label,
  backend,
  args,
  ioUring,
  launcher: LAUNCHER,
});
const epoll = (ioUring: boolean): ServerVariant =>
  ioUring
    ? variant('epoll + io_uring', 'epoll', ['--backend', 'epoll'], true)
    : variant('epoll, plain calls', 'epoll', ['--backend', 'epoll', '--no-io-uring']);
const node = () => variant('node', 'node', ['--backend', 'node']);
const iocp = () => variant('iocp', 'iocp', ['--backend', 'iocp']);

/**
 * Every server configuration the launcher's OS runs: the completion backend (each way it can
 * run), then node.
 */
export const SERVER_VARIANTS: ServerVariant[] =
  LAUNCHER.platform === 'linux'
    ? [...(ioUringAvailable() ? [epoll(true)] : []), epoll(false), node()]
    : LAUNCHER.platform === 'win32'
      ? [iocp(), node()]
      : [node()];

/** The completion backends among them. */
export const COMPLETION_VARIANTS = SERVER_VARIANTS.filter((v) => v.backend !== 'node');
