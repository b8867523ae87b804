import { Uring, type Extras } from '../../src/native/linux/uring.js';
import { ioUringAvailable } from '../../src/native/platform.js';

/**
 * Whether this machine's kernel runs every one of `calls` through an io_uring ring (asked at
 * collection, to choose which tests run): false off Linux and where io_uring fails its probe.
 */
export function ringSupports(...calls: (keyof Extras)[]): boolean {
  if (process.platform !== 'linux' || !ioUringAvailable()) return false;
  const r = Uring.open(8)!;
  try {
    return calls.every((call) => r.supports(call));
  } finally {
    r.close();
  }
}
