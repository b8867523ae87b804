/**
 * The uring transport's read-ahead: before any callback of a turn runs, the first read of every
 * event that will read is made, all in one ring call. Each lands in a slice of its own, because
 * the reads are all made before the first callback and each must wait for its own.
 */
import type { Uring } from '../../native/linux/uring.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { eventBits, type SocketTable, type TableEntry } from './socketTable.js';

const SLICE_BYTES = 16 * 1024;

/** What the read-ahead needs of a socket. */
export interface ReadingSocket extends TableEntry {
  readonly fd: number;
  /** Whether an event with these bits will read (so its first read may be made ahead). */
  readsOn(bits: number): boolean;
}

export class ReadAhead {
  private readonly arena: { ptr: bigint; address: number };
  /** Event i's read landed in slices[i]; its result (bytes, or -errno) is results[i]. */
  readonly slices: Buffer[] = [];
  readonly results: Int32Array;
  /** Per event of the turn: whether its first read was made ahead. */
  private readonly made: Int8Array;

  constructor(
    private readonly ring: Uring,
    maxEvents: number,
  ) {
    this.arena = allocArena(maxEvents * SLICE_BYTES);
    const view = viewMemory(this.arena.address, maxEvents * SLICE_BYTES);
    for (let i = 0; i < maxEvents; i++) this.slices.push(Buffer.from(view, i * SLICE_BYTES, SLICE_BYTES));
    this.results = new Int32Array(maxEvents);
    this.made = new Int8Array(maxEvents);
  }

  /** Makes the first read of each of the `n` events whose socket will read; false if none did. */
  readFirst(events: Uint32Array, n: number, table: SocketTable<ReadingSocket>): boolean {
    const ring = this.ring;
    for (let i = 0; i < n; i++) {
      const s = table.find(events, i);
      if (s && s.readsOn(eventBits(events, i)) && ring.prepared < ring.capacity) {
        ring.prepRecv(s.fd, this.arena.address + i * SLICE_BYTES, SLICE_BYTES, 0, i);
        this.made[i] = 1;
      }
    }
    if (ring.prepared === 0) return false;
    ring.run(this.results);
    return true;
  }

  /** Whether event i's first read was made ahead by the last readFirst(); asked once per event. */
  take(i: number): boolean {
    const made = this.made[i] === 1;
    this.made[i] = 0;
    return made;
  }

  free(): void {
    freeArena(this.arena.ptr);
  }
}
