import type { IncomingHttpHeaders } from 'node:http';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { KeyPair } from './certificates.js';
import { type Behaviour, respond } from './fault-behaviours.js';

export type { Behaviour } from './fault-behaviours.js';

/** Chooses the behaviour for an id's n-th attempt (1-based). */
export type Script = (id: number, attempt: number) => Behaviour;

/** Plain HTTP/1.1, HTTP/1.1 over TLS, or HTTP/2 over TLS (ALPN h2 only). */
export type Transport = 'h1' | 'tls' | 'h2';

export interface UpstreamOptions {
  readonly transport?: Transport;
  /** Key and certificate for the TLS transports. */
  readonly tls?: KeyPair;
  /** Every answer (hangs aside) waits this long first, as a real origin's would. */
  readonly latencyMs?: number;
  /** HTTP/1.1: closes the connection this long after each response, busy or not. */
  readonly closeAfterResponseMs?: number;
}

/** One request as the upstream saw it. */
export interface SeenRequest {
  readonly id: number;
  readonly method: string;
  /** "1.1" or "2.0". */
  readonly httpVersion: string;
  readonly headers: IncomingHttpHeaders;
}

export interface FaultUpstream {
  /** `http(s)://127.0.0.1:PORT/items/{id}` */
  readonly urlTemplate: string;
  /** How many requests reached the upstream for `id`. */
  attempts(id: number): number;
  /** Requests still open that were never fully answered. */
  stuckSockets(): number;
  /** Connections still open. */
  openSockets(): number;
  /** performance.now() of every request's arrival, in order. */
  readonly arrivals: number[];
  /** Every request, in arrival order. */
  readonly seen: SeenRequest[];
  /** The most requests in flight at once so far. */
  peakInFlight(): number;
  /** Connections accepted so far (TLS: handshakes completed). */
  connectionsAccepted(): number;
  /** Of those, TLS handshakes that resumed an earlier session (no certificate sent). */
  resumedHandshakes(): number;
  close(): Promise<void>;
}

const ok = (status = 200): Behaviour => ({ type: 'status', status, body: '{"ok":true}' });
export const behaviours = { ok } as const;

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** A loopback server whose every answer is scripted per id and attempt. */
export async function startFaultUpstream(
  script: Script,
  options: UpstreamOptions = {},
): Promise<FaultUpstream> {
  const { transport = 'h1', latencyMs = 0 } = options;
  const counts = new Map<number, number>();
  const unanswered = new Set<Response>();
  const sockets = new Set<Socket>();
  const arrivals: number[] = [];
  const seen: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let peak = 0;
  let accepted = 0;
  let resumed = 0;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const onRequest = (req: Request, res: Response) => {
    arrivals.push(performance.now());
    const id = Number(/\/items\/(\d+)/.exec(req.url ?? '')?.[1] ?? Number.NaN);
    const attempt = (counts.get(id) ?? 0) + 1;
    counts.set(id, attempt);
    seen.push({ id, method: req.method ?? '', httpVersion: req.httpVersion, headers: req.headers });
    unanswered.add(res);
    peak = Math.max(peak, ++inFlight);
    res.on('close', () => {
      inFlight--;
      unanswered.delete(res);
    });
    res.on('finish', () => {
      unanswered.delete(res);
      const closeAfter = options.closeAfterResponseMs;
      if (closeAfter !== undefined) later(closeAfter, () => req.socket.destroy());
    });
    const behaviour = script(id, attempt);
    if (latencyMs > 0 && behaviour.type !== 'hang') {
      later(latencyMs, () => respond(behaviour, req, res, later));
    } else {
      respond(behaviour, req, res, later);
    }
  };

  const track = (socket: Socket | TLSSocket) => {
    accepted++;
    if ('isSessionReused' in socket && socket.isSessionReused()) resumed++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const tls = () => {
    if (!options.tls) throw new Error(`the ${transport} transport needs a key and certificate`);
    return options.tls;
  };
  const server =
    transport === 'h2'
      ? createSecureServer({ ...tls(), allowHTTP1: false }, onRequest)
      : transport === 'tls'
        ? createHttpsServer({ ...tls(), keepAlive: true }, onRequest)
        : createHttpServer({ keepAlive: true }, onRequest);
  server.on(transport === 'h1' ? 'connection' : 'secureConnection', track);
  // A client that gives up mid-handshake (an untrusted certificate) is no test failure.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = transport === 'h1' ? 'http' : 'https';

  return {
    urlTemplate: `${scheme}://127.0.0.1:${port}/items/{id}`,
    attempts: (id) => counts.get(id) ?? 0,
    stuckSockets: () => unanswered.size,
    openSockets: () => sockets.size,
    arrivals,
    seen,
    peakInFlight: () => peak,
    connectionsAccepted: () => accepted,
    resumedHandshakes: () => resumed,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
