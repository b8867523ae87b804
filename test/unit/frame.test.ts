// Frame encoding: header fields, genuine-header recognition, whole-frame verification.
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, FrameCodec } from '../../src/client/verify/frame.js';

describe('FrameCodec', () => {
  const codec = new FrameCodec(42, 4096);

  it('encodes connection id, sequence and length in a 16-byte little-endian header', () => {
    const f = codec.encode(7, 3, 100);
    expect(f.length).toBe(100);
    expect(f.readUInt32LE(0)).toBe(7);
    expect(f.readUInt32LE(4)).toBe(3);
    expect(f.readUInt32LE(8)).toBe(100);
    expect(f.readUInt32LE(12)).toBe(codec.expectedCheck(7, 3, 100));
  });

  it('is deterministic per seed, and differs across seeds, connections and sequences', () => {
    expect(new FrameCodec(42, 4096).encode(7, 3, 100)).toEqual(codec.encode(7, 3, 100));
    expect(new FrameCodec(43, 4096).encode(7, 3, 100)).not.toEqual(codec.encode(7, 3, 100));
    expect(codec.encode(8, 3, 100).subarray(FRAME_HEADER_BYTES)).not.toEqual(codec.encode(7, 3, 100).subarray(FRAME_HEADER_BYTES));
    expect(codec.encode(7, 4, 100).subarray(FRAME_HEADER_BYTES)).not.toEqual(codec.encode(7, 3, 100).subarray(FRAME_HEADER_BYTES));
  });

  it('accepts a header-only frame and rejects lengths outside 16..max', () => {
    expect(codec.verifyFrame(codec.encode(1, 0, 16))).toMatchObject({ ok: true });
    expect(() => codec.encode(1, 0, 15)).toThrow(RangeError);
    expect(() => codec.encode(1, 0, 4097)).toThrow(RangeError);
  });

  it('recognises genuine headers of this run and nothing else', () => {
    const f = codec.encode(9, 1, 64);
    expect(codec.readHeader(f, 0)).toEqual({ connId: 9, seq: 1, length: 64, check: f.readUInt32LE(12) });
    const tampered = Buffer.from(f);
    tampered[4]! ^= 1; // seq 1 -> 0 without a matching check
    expect(codec.readHeader(tampered, 0)).toBeNull();
    expect(new FrameCodec(1, 4096).readHeader(f, 0)).toBeNull(); // another run's frame
    expect(codec.readHeader(f, 0, 15)).toBeNull(); // not enough bytes
  });

  it('verifies a whole frame from its bytes, catching any single flipped bit', () => {
    const f = codec.encode(5, 2, 300);
    expect(codec.verifyFrame(f)).toEqual({ ok: true, header: { connId: 5, seq: 2, length: 300, check: f.readUInt32LE(12) } });
    for (const pos of [0, 5, 9, 13, 16, 150, 299]) {
      const bad = Buffer.from(f);
      bad[pos]! ^= 0x10;
      expect(codec.verifyFrame(bad).ok, `bit flip at ${pos}`).toBe(false);
    }
    expect(codec.verifyFrame(f.subarray(0, 299))).toMatchObject({ ok: false });
  });

  it('encodes in place at an offset', () => {
    const buf = Buffer.alloc(200, 0xee);
    codec.encodeInto(buf, 50, 3, 4, 100);
    expect(buf.subarray(50, 150)).toEqual(codec.encode(3, 4, 100));
    expect(buf[49]).toBe(0xee);
    expect(buf[150]).toBe(0xee);
  });
});
