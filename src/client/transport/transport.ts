/**
 * How a client thread talks to the network: a socket per flood connection, plus the timers and
 * deferred calls its modes need. Two implementations: Node's `net` (every OS) and a native one
 * over non-blocking sockets and epoll (Linux, nativeTransport.ts), which runs its own loop; as
 * `uring` it makes each turn's reads, and each batch's sends, in one io_uring call.
 */
export type TransportName = 'uring' | 'native' | 'net';

/** An opaque timer returned by setTimer(). */
export type TimerHandle = object;

/** What a socket reports to its connection. Bytes arrive in `buf[0, n)`, valid until the call returns. */
export interface SocketEvents {
  onConnect(): void;
  onBytes(buf: Buffer, n: number): void;
  /** The peer's FIN. */
  onEnd(): void;
  /** A system error (`code` is the errno name, e.g. ECONNRESET). */
  onError(code: string, message: string): void;
  /** The socket is gone (after end, error or destroy). */
  onClose(): void;
}

export interface ClientSocket {
  readonly connecting: boolean;
  readonly destroyed: boolean;
  /**
   * performance.now() just before the OS call that first carried bytes of the latest write():
   * where a round trip starts. A loopback send can have the peer's answer queued before the call
   * returns, so it is taken before the call, never after; for a frame that waits in a batch or a
   * queue, just before the batch's (or the queue's) call. NaN while the bytes are still waiting.
   */
  readonly sentAt: number;
  /** Writes data[off, off + len). False when not everything could be handed over yet (see onceDrain). */
  write(data: Buffer, len?: number, off?: number): boolean;
  /** Calls fn once everything written so far has been handed to the OS. */
  onceDrain(fn: () => void): void;
  /** FIN after everything written. */
  end(): void;
  /** Plain close. */
  destroy(): void;
  /** Abortive close: RST. */
  resetAndDestroy(): void;
  /** Stop reading. */
  pause(): void;
}

export interface ClientTransport {
  readonly name: TransportName;
  /**
   * Calls fn once, `ms` (fractional) from now: within the millisecond after that, or, `precise`
   * (the open loop's schedule), on the native transports within tens of µs of it (a timerfd and
   * a short spin: eventLoop.ts). net's timers are whole milliseconds either way.
   */
  setTimer(fn: () => void, ms: number, precise?: boolean): TimerHandle;
  clearTimer(t: TimerHandle): void;
  /**
   * Runs fn at the end of the loop's turn, after the turn's events and due timers; queued by a
   * deferred call itself, at the end of the next turn (net: setImmediate()).
   */
  defer(fn: () => void): void;
  /**
   * Runs fn as soon as the current callback returns, before any further event (net:
   * process.nextTick(), after its own queued connect()).
   */
  soon(fn: () => void): void;
  /**
   * A new socket to the target. `id` (the connection's id in the plan) picks its local address
   * among the transport's --source addresses, round robin; without any, the OS picks.
   */
  connect(events: SocketEvents, id: number): ClientSocket;
  /**
   * A buffer to encode a frame of `len` bytes into, at `frameOffset`; write it at once with
   * write(buf, len, frameOffset). Only valid until the next write.
   */
  frameBuffer(len: number): Buffer;
  /** Where in the last frameBuffer() the frame goes. */
  readonly frameOffset: number;
  /**
   * Drives the transport until `isDone()` is true, calling `onTurn` once per loop turn. The net
   * transport has nothing to drive (Node's loop does it) and returns at once. `ownThread`: the
   * caller is a client thread of its own and may be blocked until the end; otherwise Node's loop
   * must keep running (the native transport then waits on libuv's thread pool).
   */
  drive(isDone: () => boolean, onTurn: () => void, ownThread: boolean): void;
  /** Frees what the transport holds once the thread is done with it. */
  dispose(): void;
}
