/**
 * Native memory through koffi (a binding file, like libc.ts and win32.ts): the arena that holds
 * OVERLAPPEDs, epoll events and ring buffers. It never moves, so the kernel may keep writing to
 * it after the call that handed it over returns; pages are touched only when used.
 */
import koffi from 'koffi';

export function allocArena(bytes: number): { ptr: bigint; address: number } {
  const ptr = koffi.alloc('uint8_t', Math.max(1, bytes)) as bigint;
  return { ptr, address: Number(koffi.address(ptr)) };
}

export function freeArena(ptr: bigint): void {
  koffi.free(ptr);
}

/** A zero-copy view of native memory; make it once per thread, not per call. */
export function viewMemory(address: number, bytes: number): ArrayBuffer {
  return koffi.view(BigInt(address), bytes);
}
