/** sockaddr_in / sockaddr_in6 encoding and decoding (Linux and Windows share the layout). */
import { isIPv4, isIPv6 } from 'node:net';
import { usageError } from '../errors.js';

export interface SockaddrFamilies {
  inet: number;
  inet6: number;
}

export function encodeSockaddr(host: string, port: number, fam: SockaddrFamilies): Buffer {
  if (isIPv4(host)) {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(fam.inet, 0);
    b.writeUInt16BE(port, 2);
    host.split('.').forEach((octet, i) => b.writeUInt8(Number(octet), 4 + i));
    return b;
  }
  if (isIPv6(host)) {
    const b = Buffer.alloc(28);
    b.writeUInt16LE(fam.inet6, 0);
    b.writeUInt16BE(port, 2);
    ipv6Bytes(host).copy(b, 8);
    return b;
  }
  throw usageError('--host', 'must be an IP address, like 127.0.0.1 or ::1', host);
}

/** The port of a sockaddr filled by getsockname. */
export function sockaddrPort(b: Buffer): number {
  return b.readUInt16BE(2);
}

function ipv6Bytes(host: string): Buffer {
  const out = Buffer.alloc(16);
  let text = host.replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [left, right] = text.includes('::') ? text.split('::') : [text, ''];
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  const groups = [...l, ...Array(8 - l.length - r.length).fill('0'), ...r];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
