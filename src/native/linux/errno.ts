/**
 * Every errno value the Linux code compares against, in one place (x86-64 / asm-generic values,
 * as <errno.h> defines them). errnoName() in libc.ts turns any value into its name for messages.
 */
export const EINTR = 4;
export const EAGAIN = 11;
export const EBUSY = 16;
export const ENFILE = 23;
export const EMFILE = 24;
export const ECONNRESET = 104;
export const EINPROGRESS = 115;
