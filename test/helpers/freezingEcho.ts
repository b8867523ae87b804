import net from 'node:net';

/**
 * An echo server on 127.0.0.1 (port 0) that, `freezeAfterMs` after its first connection arrives,
 * stops reading and echoing for `freezeMs` (Infinity: for good), then echoes what it held back.
 * A stalled server, for the latency the flood reports under one. close() resets what is still
 * connected (a frozen server never reads the clients' FINs) and closes it.
 */
export interface FreezingEcho {
  port: number;
  close(): Promise<void>;
}

export function startFreezingEcho(freezeAfterMs: number, freezeMs: number): Promise<FreezingEcho> {
  const sockets = new Set<net.Socket>();
  const held = new Map<net.Socket, Buffer[]>();
  let frozen = false;
  let armed = false;
  let thawTimer: NodeJS.Timeout | undefined;
  const freeze = () => {
    frozen = true;
    for (const s of sockets) s.pause();
    if (Number.isFinite(freezeMs)) thawTimer = setTimeout(thaw, freezeMs);
  };
  const thaw = () => {
    frozen = false;
    for (const s of sockets) {
      for (const d of held.get(s) ?? []) if (s.writable) s.write(d);
      held.delete(s);
      s.resume();
    }
  };
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    if (!armed) {
      armed = true;
      setTimeout(freeze, freezeAfterMs);
    }
    sockets.add(s);
    s.setNoDelay(true);
    if (frozen) s.pause();
    s.on('error', () => {});
    s.on('data', (d: Buffer) => {
      if (!frozen) return void s.write(d);
      const q = held.get(s) ?? [];
      q.push(d);
      held.set(s, q);
    });
    s.on('end', () => s.end());
    s.on('close', () => sockets.delete(s));
  });
  const close = () => {
    clearTimeout(thawTimer);
    for (const s of sockets) s.resetAndDestroy();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ port: (server.address() as net.AddressInfo).port, close })));
}
