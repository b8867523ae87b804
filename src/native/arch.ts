/**
 * The processor the native code is written for: its structures (epoll_event, OVERLAPPED,
 * sockaddr, io_uring's entries) are laid out by hand at x86-64's offsets and packing, which other
 * processors do not share (arm64's epoll_event is 16 bytes, not 12).
 */
export const NATIVE_ARCH = 'x64';

/** Whether this process runs on the processor the native code is written for. */
export function nativeArch(): boolean {
  return process.arch === NATIVE_ARCH;
}
