/**
 * Abrupt clients for the server's lifetime tests: connect-then-RST, send-then-RST, send
 * megabytes without reading then RST (the server's send is pending when the RST lands),
 * half-close and read the echo to EOF, and plain echo. Payloads are 8-byte blocks
 * [connection id, offset], so a block that arrives on the wrong connection is recognised as
 * cross-talk. Every connection is bounded in time; loopback only.
 */
import { connect, type Socket } from 'node:net';

export type AbuseMode = 'connect-rst' | 'send-rst' | 'flood-rst' | 'half-close' | 'echo';
export const ALL_MODES: AbuseMode[] = ['connect-rst', 'send-rst', 'flood-rst', 'half-close', 'echo'];

export interface AbuseResult {
  connections: number;
  verified: number;
  /** Connections that could not connect or were reset by the server when they expected data. */
  errors: number;
  /** Blocks with the right connection id at the wrong offset, or garbage. */
  corrupt: number;
  /** Blocks carrying another connection's id: the use-after-free symptom. */
  crossTalk: number;
  /** Echoes that ended (EOF) short of what was sent. */
  truncated: number;
  timeouts: number;
}

export interface AbuseOptions {
  host?: string;
  port: number;
  /** Connections per mode. */
  perMode: number;
  modes?: AbuseMode[];
  concurrency?: number;
  /** Bytes written by flood-rst before the reset. */
  floodBytes?: number;
  perConnectionTimeoutMs?: number;
}

let nextId = 1;

export function pattern(id: number, offset: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let at = 0; at < len; at += 8) {
    const block = offset + at;
    b.writeUInt32LE(id, at);
    b.writeUInt32LE(block, at + 4);
  }
  return b;
}

/** Checks received bytes block by block; `from` is the offset of chunk[0] in the stream. */
function check(id: number, chunk: Buffer, from: number, r: AbuseResult): void {
  for (let at = 0; at + 8 <= chunk.length; at += 8) {
    const who = chunk.readUInt32LE(at);
    const off = chunk.readUInt32LE(at + 4);
    if (who !== id && who > 0 && who < nextId) r.crossTalk++;
    else if (who !== id || off !== from + at) r.corrupt++;
  }
}

function once(mode: AbuseMode, o: Required<AbuseOptions>, r: AbuseResult): Promise<void> {
  const id = nextId++;
  return new Promise<void>((resolve) => {
    const s: Socket = connect({ host: o.host, port: o.port, noDelay: true, allowHalfOpen: true });
    let done = false;
    const finish = (reset = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (reset) s.resetAndDestroy();
      else s.destroy();
      resolve();
    };
    const timer = setTimeout(() => {
      r.timeouts++;
      finish(true);
    }, o.perConnectionTimeoutMs);
    s.on('error', () => {
      if (mode === 'echo' || mode === 'half-close') r.errors++;
      finish();
    });
    r.connections++;
    if (mode === 'connect-rst') {
      s.once('connect', () => finish(true));
      return;
    }
    if (mode === 'send-rst') {
      s.once('connect', () => {
        s.write(pattern(id, 0, 4096));
        setImmediate(() => finish(true));
      });
      return;
    }
    if (mode === 'flood-rst') {
      s.pause(); // never read: the server's echo backs up until its send is pending
      s.once('connect', () => {
        const chunk = pattern(id, 0, 64 * 1024);
        let sent = 0;
        let stall: NodeJS.Timeout | undefined;
        // Reset once our writes stop draining (the server stopped reading because its echo
        // cannot be sent: we never read), or when everything is written.
        const resetSoon = (ms: number) => {
          clearTimeout(stall);
          stall = setTimeout(() => finish(true), ms);
        };
        const pump = () => {
          while (sent < o.floodBytes && s.write(chunk)) sent += chunk.length;
          if (sent < o.floodBytes) {
            resetSoon(30);
            s.once('drain', () => ((sent += chunk.length), pump()));
          } else resetSoon(30);
        };
        pump();
      });
      return;
    }
    // echo and half-close: read everything back and verify it.
    const size = mode === 'echo' ? 4096 : 32 * 1024;
    let got = 0;
    s.on('data', (chunk: Buffer) => {
      check(id, chunk, got, r);
      got += chunk.length;
      if (mode === 'echo' && got >= size) {
        s.end();
      }
    });
    s.once('end', () => {
      if (got < size) r.truncated++;
      else r.verified++;
      finish();
    });
    s.once('connect', () => {
      s.write(pattern(id, 0, size));
      if (mode === 'half-close') s.end();
    });
  });
}

/** Run `perMode` connections of each mode, interleaved, `concurrency` at a time. */
export async function abuse(options: AbuseOptions): Promise<AbuseResult> {
  const o: Required<AbuseOptions> = {
    host: '127.0.0.1',
    modes: ALL_MODES,
    concurrency: 200,
    floodBytes: 4 * 1024 * 1024,
    perConnectionTimeoutMs: 20_000,
    ...options,
  };
  const r: AbuseResult = { connections: 0, verified: 0, errors: 0, corrupt: 0, crossTalk: 0, truncated: 0, timeouts: 0 };
  const plan: AbuseMode[] = [];
  for (let i = 0; i < o.perMode; i++) for (const m of o.modes) plan.push(m);
  let next = 0;
  const lane = async () => {
    while (next < plan.length) await once(plan[next++], o, r);
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, plan.length) }, lane));
  return r;
}
