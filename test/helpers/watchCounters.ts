/** Flood counters for the server-gone watch's tests: only what the watch reads. */
import { C, newCounters } from '../../src/client/run/floodCounters.js';

export function watchCounters(connected: number, verified: number, refused: number): Float64Array {
  const c = newCounters();
  c[C.connected] = connected;
  c[C.messagesVerified] = verified;
  c[C.errRefused] = refused;
  return c;
}
