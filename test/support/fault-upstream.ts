import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the upstream does with one request. */
export type Behaviour =
  | {
      readonly type: 'status';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
    }
  /** Accepts the request and never answers. */
  | { readonly type: 'hang' }
  /** Sends a TCP RST instead of a response. */
  | { readonly type: 'reset' }
  /** 200 with a body sent `chunk` bytes at a time every `everyMs`, `chunks` times. */
  | { readonly type: 'trickle'; readonly chunks: number; readonly everyMs: number }
  /** 200 with a body of `bytes`, announced by Content-Length or chunked. */
  | { readonly type: 'huge'; readonly bytes: number; readonly contentLength: boolean }
  /** Bytes that are not HTTP. */
  | { readonly type: 'garbage' };

/** Chooses the behaviour for an id's n-th attempt (1-based). */
export type Script = (id: number, attempt: number) => Behaviour;

export interface FaultUpstream {
  /** `http://127.0.0.1:PORT/items/{id}` */
  readonly urlTemplate: string;
  /** How many requests reached the upstream for `id`. */
  attempts(id: number): number;
  /** Sockets still open with a request that was never fully answered. */
  stuckSockets(): number;
  /** Sockets still open. */
  openSockets(): number;
  /** performance.now() of every request's arrival, in order. */
  readonly arrivals: number[];
  /** The most requests in flight at once so far. */
  peakInFlight(): number;
  /** Connections accepted so far. */
  connectionsAccepted(): number;
  close(): Promise<void>;
}

const ok = (status = 200): Behaviour => ({ type: 'status', status, body: '{"ok":true}' });
export const behaviours = { ok } as const;

/** A loopback HTTP/1.1 server whose every answer is scripted per id and attempt. */
export async function startFaultUpstream(script: Script): Promise<FaultUpstream> {
  const counts = new Map<number, number>();
  const busy = new Map<Socket, boolean>();
  const arrivals: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let peak = 0;
  let accepted = 0;

  const server = createServer({ keepAlive: true }, (req, res) => {
    arrivals.push(performance.now());
    const id = Number(/\/items\/(\d+)/.exec(req.url ?? '')?.[1] ?? Number.NaN);
    const attempt = (counts.get(id) ?? 0) + 1;
    counts.set(id, attempt);
    const socket = req.socket;
    busy.set(socket, true);
    peak = Math.max(peak, ++inFlight);
    res.on('close', () => inFlight--);
    res.on('finish', () => busy.set(socket, false));
    respond(script(id, attempt), req, res, timers);
  });
  server.on('connection', (socket) => {
    accepted++;
    busy.set(socket, false);
    socket.on('close', () => busy.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    urlTemplate: `http://127.0.0.1:${port}/items/{id}`,
    attempts: (id) => counts.get(id) ?? 0,
    stuckSockets: () => [...busy.values()].filter(Boolean).length,
    openSockets: () => busy.size,
    arrivals,
    peakInFlight: () => peak,
    connectionsAccepted: () => accepted,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function respond(
  behaviour: Behaviour,
  req: IncomingMessage,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  switch (behaviour.type) {
    case 'status':
      res.writeHead(behaviour.status, behaviour.headers);
      res.end(behaviour.body ?? '');
      return;
    case 'hang':
      return;
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'garbage':
      req.socket.end('SSH-2.0-not-http\r\n\r\n');
      return;
    case 'huge': {
      res.writeHead(200, behaviour.contentLength ? { 'content-length': behaviour.bytes } : {});
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let left = behaviour.bytes;
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    case 'trickle': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        if (sent++ >= behaviour.chunks) return void res.end();
        res.write('.');
        later(behaviour.everyMs, tick);
      };
      tick();
      return;
    }
  }
}
