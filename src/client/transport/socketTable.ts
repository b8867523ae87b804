/**
 * The sockets of one client thread by slot, and the epoll data word that names one: (slot,
 * generation), written and read here side by side. A freed slot is reused with a new generation,
 * so an event for a socket dropped earlier in the same batch (its slot perhaps holding a new
 * socket already) finds nothing.
 */

/** What the table keeps on each socket: where it is (-1: not in the table) and which one it is. */
export interface TableEntry {
  slot: number;
  gen: number;
}

export class SocketTable<S extends TableEntry> {
  private readonly socks: (S | null)[] = [];
  private readonly freeSlots: number[] = [];
  private nextGen = 1;

  /** Gives `s` a slot, and a generation no live socket has (never 0). */
  add(s: S): void {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.socks.length;
    this.socks[slot] = s;
    s.slot = slot;
    s.gen = this.nextGen = (this.nextGen + 1) >>> 0 || 1;
  }

  /** Takes `s` out (once; later calls do nothing). */
  remove(s: S): void {
    if (s.slot < 0) return;
    this.socks[s.slot] = null;
    this.freeSlots.push(s.slot);
    s.slot = -1;
  }

  /** The socket that event `i` of an epoll_wait's output names, or null if it is gone. */
  find(events: Uint32Array, i: number): S | null {
    const s = this.socks[events[3 * i + 1]!];
    return s && s.gen === events[3 * i + 2] ? s : null;
  }

  /** Every slot (null where free), to close what is left at the end. */
  get slots(): readonly (S | null)[] {
    return this.socks;
  }
}

/** The epoll_event that registers `s`: `bits`, then the data word find() reads back. */
export function writeEpollEvent(view: DataView, at: number, bits: number, s: TableEntry): void {
  view.setUint32(at, bits >>> 0, true);
  view.setUint32(at + 4, s.slot, true);
  view.setUint32(at + 8, s.gen, true);
}

/** The event bits of event `i` of an epoll_wait's output. */
export function eventBits(events: Uint32Array, i: number): number {
  return events[3 * i]!;
}
