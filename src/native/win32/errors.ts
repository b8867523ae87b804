/** Win32 / Winsock error numbers to names, once (like libuv's src/win/error.c). */
import { SysError } from '../../errors.js';
import { WIN32_CONSTANTS } from './win32.js';

const names = new Map<number, string>();
for (const [name, value] of Object.entries(WIN32_CONSTANTS)) {
  if (typeof value !== 'number') continue;
  if (name.startsWith('WSAE') || name.startsWith('ERROR_') || name.startsWith('STATUS_')) {
    if (!names.has(value >>> 0)) names.set(value >>> 0, name);
  }
}

export function win32ErrorName(code: number): string {
  return names.get(code >>> 0) ?? `0x${(code >>> 0).toString(16)}`;
}

/** A failed Win32 call as a SysError; portable names for the errors users act on. */
export function win32Error(syscall: string, code: number, detail?: string): SysError {
  const name = win32ErrorName(code);
  const portable = name.startsWith('WSAE') ? name.slice(3) : name;
  return new SysError(syscall, portable, code, detail);
}
