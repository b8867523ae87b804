/**
 * The flood's `net` transport: client sockets over Node's `net` module, driven by Node's own event
 * loop. It runs on every OS; the native transports are faster where they run (Linux).
 */
import dns from 'node:dns';
import net from 'node:net';
import type { ClientSocket, ClientTransport, SocketEvents, TimerHandle } from './transport.js';

/** The transport over Node's `net` module. */
export class NetTransport implements ClientTransport {
  readonly name = 'net' as const;
  /** One receive buffer per thread: bytes are judged before the next read can reuse it. */
  readonly recvBuffer = Buffer.allocUnsafe(64 * 1024);
  readonly frameOffset = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    /** --source: local addresses to bind to, by connection id round robin. */
    readonly sources: readonly string[] = [],
  ) {}

  /** Lookups of the target's name this transport made (a name is looked up once, see lookup). */
  lookups = 0;
  private resolved: dns.LookupAddress[] | null = null;
  private waiting: ((err: NodeJS.ErrnoException | null) => void)[] | null = null;

  /**
   * net.connect()'s lookup for a target named by host name: the name is looked up once, at the
   * first connection, and every later one reuses the answer (a load generator resolves its target
   * once: thousands of lookups would queue on libuv's four pool threads and be timed inside every
   * connect). A failed lookup is not kept: the next connection asks again. An IP literal needs no
   * lookup (Node skips it).
   */
  readonly lookup: net.LookupFunction = (hostname, options, callback) => {
    const answer = (err: NodeJS.ErrnoException | null) => {
      const all = this.resolved;
      if (err || all === null || all.length === 0) return callback(err ?? Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, all);
      const one = all.find((a) => !options.family || a.family === options.family) ?? all[0]!;
      callback(null, one.address, one.family);
    };
    if (this.resolved !== null) return void process.nextTick(answer, null);
    if (this.waiting !== null) return void this.waiting.push(answer);
    this.waiting = [answer];
    this.lookups++;
    dns.lookup(hostname, { all: true }, (err, addresses) => {
      if (!err) this.resolved = addresses;
      const waiting = this.waiting!;
      this.waiting = null;
      for (const w of waiting) w(err);
    });
  };

  /**
   * Node's timers count whole milliseconds of its loop's clock (a wait under 1 ms waits 1 ms), so
   * a timer here fires up to about a millisecond past its time, precise or not: an open loop's
   * messages leave 0.5–0.7 ms late at the median on this transport on Linux, and up to a system
   * clock tick (about 15.6 ms) on Windows (README, Open loop).
   */
  setTimer(fn: () => void, ms: number): TimerHandle {
    return setTimeout(fn, ms);
  }

  clearTimer(t: TimerHandle): void {
    clearTimeout(t as NodeJS.Timeout);
  }

  defer(fn: () => void): void {
    setImmediate(fn);
  }

  soon(fn: () => void): void {
    process.nextTick(fn);
  }

  connect(events: SocketEvents, id: number): ClientSocket {
    const n = this.sources.length;
    return new NetSocket(this, events, n > 0 ? this.sources[id % n]! : undefined);
  }

  frameBuffer(len: number): Buffer {
    return Buffer.allocUnsafe(len);
  }

  drive(): void {}

  dispose(): void {}
}

class NetSocket implements ClientSocket {
  private readonly s: net.Socket;

  constructor(t: NetTransport, ev: SocketEvents, localAddress: string | undefined) {
    const buf = t.recvBuffer;
    this.s = net.connect({
      host: t.host,
      port: t.port,
      lookup: t.lookup,
      ...(localAddress === undefined ? {} : { localAddress }),
      noDelay: true,
      // Always true: returning false would pause the socket, and pausing is the modes' business.
      onread: { buffer: buf, callback: (n: number) => (ev.onBytes(buf, n), true) },
    });
    this.s.on('connect', () => ev.onConnect());
    this.s.on('end', () => ev.onEnd());
    this.s.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      ev.onError(code, `${code || err.name}: ${err.message}`);
    });
    this.s.on('close', () => ev.onClose());
  }

  get connecting(): boolean {
    return this.s.connecting;
  }

  get destroyed(): boolean {
    return this.s.destroyed;
  }

  sentAt = NaN;

  write(data: Buffer, len = data.length, off = 0): boolean {
    // net hands the bytes to the kernel inside write() when nothing is queued ahead of them.
    this.sentAt = performance.now();
    return this.s.write(off === 0 && len === data.length ? data : data.subarray(off, off + len));
  }

  onceDrain(fn: () => void): void {
    this.s.once('drain', fn);
  }

  end(): void {
    this.s.end();
  }

  destroy(): void {
    this.s.destroy();
  }

  resetAndDestroy(): void {
    this.s.resetAndDestroy();
  }

  pause(): void {
    this.s.pause();
  }
}
