/**
 * The native memory one client thread's sockets share, in one arena viewed once: epoll's event
 * array, the receive buffer, the stage (JS bytes are copied here to be sent), the send batch's
 * area, and the small values the socket calls point at (an epoll_event, option values, the
 * target's sockaddr). Hot-path calls pass these addresses; nothing is allocated per call.
 */
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { EPOLL_EVENT_SIZE } from '../../native/linux/libc.js';

/** Events one epoll_wait returns at most. */
export const MAX_EVENTS = 256;
export const RECV_BYTES = 64 * 1024;
export const STAGE_BYTES = 256 * 1024;
export const BATCH_BYTES = 256 * 1024;

// The arena: events | recv buffer | stage | batch area | small values.
const OFF_EVENTS = 0;
const OFF_RECV = MAX_EVENTS * EPOLL_EVENT_SIZE;
const OFF_STAGE = OFF_RECV + RECV_BYTES;
const OFF_BATCH = OFF_STAGE + STAGE_BYTES;
const OFF_SMALL = OFF_BATCH + BATCH_BYTES;
// Small values, each 8-aligned: an epoll_event for epoll_ctl, int 1, linger {1,0}, SO_ERROR, its length, sockaddr.
const S_CTL = 0;
const S_ONE = 16;
const S_LINGER = 24;
const S_ERR = 32;
const S_LEN = 40;
const S_ADDR = 48;
const SMALL_BYTES = 96;

export class ThreadMemory {
  private readonly arena: { ptr: bigint; address: number };
  /** epoll_wait's output, three words per event: bits, then the 64-bit data word. */
  readonly events: Uint32Array;
  readonly eventsAddr: number;
  readonly recvAddr: number;
  readonly recvBuffer: Buffer;
  readonly stageAddr: number;
  readonly stage: Buffer;
  readonly batchAddr: number;
  readonly batch: Buffer;
  /** The epoll_event a plain epoll_ctl reads. */
  readonly ctlEvent: DataView;
  readonly ctlAddr: number;
  /** An int 1 (TCP_NODELAY on). */
  readonly oneAddr: number;
  /** linger {1, 0}: close() then resets. */
  readonly lingerAddr: number;
  readonly errAddr: number;
  readonly lenAddr: number;
  readonly addrAddr: number;
  readonly addrLen: number;
  private readonly small: DataView;

  /** `sockaddr`: the target every socket of the thread connects to. */
  constructor(sockaddr: Uint8Array) {
    const total = OFF_SMALL + SMALL_BYTES;
    this.arena = allocArena(total);
    const base = this.arena.address;
    const ab = viewMemory(base, total);
    this.eventsAddr = base + OFF_EVENTS;
    this.events = new Uint32Array(ab, OFF_EVENTS, (MAX_EVENTS * EPOLL_EVENT_SIZE) / 4);
    this.recvAddr = base + OFF_RECV;
    this.recvBuffer = Buffer.from(ab, OFF_RECV, RECV_BYTES);
    this.stageAddr = base + OFF_STAGE;
    this.stage = Buffer.from(ab, OFF_STAGE, STAGE_BYTES);
    this.batchAddr = base + OFF_BATCH;
    this.batch = Buffer.from(ab, OFF_BATCH, BATCH_BYTES);
    this.small = new DataView(ab, OFF_SMALL, SMALL_BYTES);
    this.ctlEvent = new DataView(ab, OFF_SMALL + S_CTL, EPOLL_EVENT_SIZE);
    const s = base + OFF_SMALL;
    this.ctlAddr = s + S_CTL;
    this.oneAddr = s + S_ONE;
    this.lingerAddr = s + S_LINGER;
    this.errAddr = s + S_ERR;
    this.lenAddr = s + S_LEN;
    this.addrAddr = s + S_ADDR;
    this.addrLen = sockaddr.length;
    this.small.setInt32(S_ONE, 1, true);
    this.small.setInt32(S_LINGER, 1, true); // l_onoff
    this.small.setInt32(S_LINGER + 4, 0, true); // l_linger
    new Uint8Array(ab, OFF_SMALL + S_ADDR, sockaddr.length).set(sockaddr);
  }

  /** Zeroes SO_ERROR's value and sets its length, for getsockopt(fd, SOL_SOCKET, SO_ERROR, errAddr, lenAddr). */
  clearSoError(): void {
    this.small.setInt32(S_ERR, 0, true);
    this.small.setUint32(S_LEN, 4, true);
  }

  /** The value getsockopt(SO_ERROR) stored. */
  soErrorValue(): number {
    return this.small.getInt32(S_ERR, true);
  }

  free(): void {
    freeArena(this.arena.ptr);
  }
}
