// The native transport's socket table: the epoll data word written for a socket finds it again,
// and only it; once the socket is gone its events find nothing, even after its slot is reused.
import { describe, expect, it } from 'vitest';
import { SocketTable, eventBits, writeEpollEvent, type TableEntry } from '../../src/client/transport/socketTable.js';
import { EPOLL_EVENT_SIZE } from '../../src/native/linux/libc.js';

function entry(): TableEntry {
  return { slot: -1, gen: 0 };
}

/** An epoll_wait output with one event per socket, as the kernel hands back registered data words. */
function eventsFor(bits: number, ...socks: TableEntry[]): Uint32Array {
  const view = new DataView(new ArrayBuffer(socks.length * EPOLL_EVENT_SIZE));
  socks.forEach((s, i) => writeEpollEvent(view, i * EPOLL_EVENT_SIZE, bits, s));
  return new Uint32Array(view.buffer);
}

describe('SocketTable', () => {
  it('finds each socket from the event written for it', () => {
    const table = new SocketTable<TableEntry>();
    const socks = [entry(), entry(), entry()];
    for (const s of socks) table.add(s);
    expect(new Set(socks.map((s) => s.slot)).size).toBe(3);
    const events = eventsFor(0x80002005, ...socks);
    socks.forEach((s, i) => {
      expect(table.find(events, i)).toBe(s);
      expect(eventBits(events, i)).toBe(0x80002005);
    });
  });

  it('finds nothing for a removed socket, nor for it once its slot holds another', () => {
    const table = new SocketTable<TableEntry>();
    const a = entry();
    table.add(a);
    const stale = eventsFor(1, a);
    table.remove(a);
    expect(a.slot).toBe(-1);
    expect(table.find(stale, 0)).toBeNull();
    const b = entry();
    table.add(b);
    expect(b.slot).toBe(stale[1]); // the same slot, reused
    expect(table.find(stale, 0)).toBeNull();
    expect(table.find(eventsFor(1, b), 0)).toBe(b);
  });

  it('removes a socket once: a second remove leaves the slot to its new owner', () => {
    const table = new SocketTable<TableEntry>();
    const a = entry();
    table.add(a);
    table.remove(a);
    const b = entry();
    table.add(b);
    table.remove(a);
    expect(table.find(eventsFor(1, b), 0)).toBe(b);
    const c = entry();
    table.add(c);
    expect(c.slot).not.toBe(b.slot);
    expect(table.find(eventsFor(1, c), 0)).toBe(c);
    expect(table.find(eventsFor(1, b), 0)).toBe(b);
  });

  it('finds nothing for a slot it never gave out', () => {
    const table = new SocketTable<TableEntry>();
    expect(table.find(eventsFor(1, { slot: 5, gen: 2 }), 0)).toBeNull();
  });
});
