// The incremental verifier: any chunking of a correct echo passes; each kind of damage is named.
import { describe, expect, it } from 'vitest';
import { FrameCodec } from '../../src/client/verify/frame.js';
import { StreamVerifier, warmUpVerifier } from '../../src/client/verify/streamVerifier.js';

const codec = new FrameCodec(1234, 8192);
const CONN = 17;

/** A verifier that has "sent" frames of the given sizes, and the bytes a correct echo returns. */
function setup(sizes: number[], conn = CONN): { v: StreamVerifier; echo: Buffer } {
  const v = new StreamVerifier(codec, conn);
  sizes.forEach((len, seq) => v.expect(seq, len));
  return { v, echo: Buffer.concat(sizes.map((len, seq) => codec.encode(conn, seq, len))) };
}

function feed(v: StreamVerifier, bytes: Buffer, chunk: number): number {
  let frames = 0;
  for (let i = 0; i < bytes.length; i += chunk) frames += v.push(bytes, i, Math.min(bytes.length, i + chunk));
  return frames;
}

describe('StreamVerifier', () => {
  it('passes a correct echo however it is chunked', () => {
    for (const chunk of [1, 3, 16, 17, 100, 5000]) {
      const { v, echo } = setup([16, 64, 300, 1000]);
      expect(feed(v, echo, chunk)).toBe(4);
      expect(v.diverged).toBe(false);
      expect(v.pendingBytes).toBe(0);
      expect(v.completed).toBe(4);
      expect(v.diagnose('eof')).toBeNull();
    }
  });

  it('reads at any offset of the receive buffer', () => {
    const { v, echo } = setup([200]);
    const buf = Buffer.concat([Buffer.alloc(33, 0xaa), echo]);
    expect(v.push(buf, 33, buf.length)).toBe(1);
  });

  it('takes the head frame from the bytes as sent, and still names a changed header', () => {
    const frames = [100, 40, 300].map((len, seq) => ({ len, seq, bytes: codec.encode(CONN, seq, len) }));
    const v = new StreamVerifier(codec, CONN);
    const sent = Buffer.concat([Buffer.alloc(5), ...frames.map((f) => f.bytes)]);
    let at = 5;
    for (const f of frames) {
      v.expect(f.seq, f.len, sent, at);
      at += f.len;
    }
    expect(feed(v, sent.subarray(5), 7)).toBe(3);
    expect(v.diverged).toBe(false);
    expect(v.pendingBytes).toBe(0);

    const w = new StreamVerifier(codec, CONN);
    const f0 = codec.encode(CONN, 0, 64);
    w.expect(0, 64, f0, 0);
    const echo = Buffer.from(f0);
    echo[5] ^= 0x01; // the sequence number
    w.push(echo, 0, echo.length);
    expect(w.diverged).toBe(true);
  });

  it('warms up on in-memory frames, every one of which verifies', () => {
    expect(warmUpVerifier(codec, 64, 800)).toBe(800); // four verifiers, connections 0 to 3
    expect(warmUpVerifier(codec, 4096, 50)).toBe(50);
  });

  it('names a dropped byte: lost', () => {
    const { v, echo } = setup([200, 200]);
    feed(v, Buffer.concat([echo.subarray(0, 70), echo.subarray(71)]), 50);
    expect(v.diverged).toBe(true);
    expect(v.diagnose('timeout')).toMatchObject({ fault: 'lost' });
  });

  it('names a flipped bit: corrupted', () => {
    const { v, echo } = setup([200]);
    const bad = Buffer.from(echo);
    bad[120]! ^= 0x04;
    feed(v, bad, 64);
    expect(v.diagnose('data')).toMatchObject({ fault: 'corrupted' });
  });

  it('names swapped chunks: reordered', () => {
    const { v, echo } = setup([300]);
    feed(v, Buffer.concat([echo.subarray(150), echo.subarray(0, 150)]), 300);
    expect(v.diagnose('data')).toMatchObject({ fault: 'reordered' });
  });

  it('names a later frame of ours arriving first: reordered', () => {
    const { v, echo } = setup([100, 100]);
    feed(v, Buffer.concat([echo.subarray(100), echo.subarray(0, 100)]), 200);
    expect(v.diagnose('data')).toMatchObject({ fault: 'reordered' });
  });

  it('names a repeated frame: duplicated', () => {
    const { v, echo } = setup([100, 100]);
    feed(v, Buffer.concat([echo.subarray(0, 100), echo.subarray(0, 100)]), 100);
    expect(v.diagnose('data')).toMatchObject({ fault: 'duplicated' });
  });

  it('names another connection\'s frame: foreign', () => {
    const { v } = setup([100]);
    feed(v, codec.encode(CONN + 1, 0, 100), 100);
    expect(v.diagnose('data')).toMatchObject({ fault: 'foreign', detail: expect.stringContaining(`connection ${CONN + 1}`) });
  });

  it('names bytes beyond everything sent, from another connection: foreign', () => {
    const { v, echo } = setup([100]);
    feed(v, Buffer.concat([echo, codec.encode(99, 5, 64)]), 40);
    expect(v.diverged).toBe(true);
    expect(v.diagnose('data')).toMatchObject({ fault: 'foreign' });
  });

  it('names an echo that stops mid-frame: truncated at EOF, stalled on timeout', () => {
    const a = setup([100, 100]);
    feed(a.v, a.echo.subarray(0, 150), 30);
    expect(a.v.diagnose('eof')).toMatchObject({ fault: 'truncated' });
    expect(a.v.diagnose('timeout')).toMatchObject({ fault: 'stalled' });
  });

  it('names whole frames missing at EOF: lost', () => {
    const { v, echo } = setup([100, 100]);
    feed(v, echo.subarray(0, 100), 100);
    expect(v.diagnose('eof')).toMatchObject({ fault: 'lost' });
  });

  it('grows its queue for many frames in flight', () => {
    const sizes = Array.from({ length: 100 }, (_, i) => 16 + i);
    const { v, echo } = setup(sizes);
    expect(feed(v, echo, 777)).toBe(100);
    expect(v.pendingBytes).toBe(0);
  });
});
