import type { Socket } from 'node:net';
import { createSecureContext, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { buildConnector, Pool } from 'undici';
import build from 'undici/lib/core/connect.js';
import symbols from 'undici/lib/core/symbols.js';
import ClientModule from 'undici/lib/dispatcher/client.js';
import PoolModule, { type LibPool } from 'undici/lib/dispatcher/pool.js';
import { type Certificate, certificateOf, type NewConnection } from './phases.js';
import { resumingConnector } from './tls-resume.js';

/**
 * The one file that reaches into undici's internals (biome.json fences the rest of the code
 * off): a Pool from its own module keeps fetch, WebSocket and the rest of undici out of the
 * bundle. The type holds only what the engine calls (undici-pool.d.ts says why).
 */
/** What a request is dispatched through: the pool, or one fresh connection of it. */
export type EngineDispatcher = LibPool;

export type EnginePool = LibPool & {
  /**
   * A dispatcher of one new connection to the same origin, with the pool's TLS context and
   * timeouts: a request that lost the keep-alive race is sent again through it, where no stale
   * connection can be waiting. The caller closes it.
   */
  freshConnection(): LibPool;
  /** Calls `listener` for each connection opened until the returned function is called. */
  observe(listener: (connection: NewConnection) => void): () => void;
  /** The leaf certificates of the pool's open TLS connections (a warm sweep reuses them). */
  certificates(): Certificate[];
};

export interface EnginePoolOptions
  extends Pick<
    Pool.Options,
    'connections' | 'pipelining' | 'connectTimeout' | 'headersTimeout' | 'bodyTimeout'
  > {
  /** TLS options for the connector (tests trust their CA through it). */
  readonly tls?: buildConnector.BuildOptions;
}

/**
 * The dispatch option under which undici hands a request still waiting for a connection a way
 * out of its queue (`cancel`, which fails the request with `reason` at once). undici's own
 * request() passes it for every request with a signal (lib/api/abort-signal.js); without it an
 * attempt that timed out while queued stays queued, and later costs a connect of its own.
 */
export const QUEUED_ABORT: symbol = symbols.kQueuedAbort;
export type QueuedAbortHook = (cancel: (reason: Error) => void) => void;

/** The codes of a connection closed or reset under a request: the keep-alive race's symptoms. */
const CLOSED_CODES: ReadonlySet<unknown> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** Errors raised by sockets that had already carried a response: see failedOnReusedConnection. */
const reusedSocketErrors = new WeakSet<object>();

/**
 * A Pool for `origin` whose connector remembers, for each socket error, whether the socket had
 * already carried a response, so that failedOnReusedConnection() can tell the keep-alive race
 * from a server that refuses the request itself.
 */
export function createPool(origin: string, options: EnginePoolOptions): EnginePool {
  const { tls, connectTimeout, ...poolOptions } = options;
  // One TLS context for every connection of the pool: without it node builds one (its CA store
  // included) per handshake, about a third of a cold sweep's handshake CPU (bench/FINDINGS.md).
  const secureContext = origin.startsWith('https:')
    ? createSecureContext(tls as SecureContextOptions | undefined)
    : undefined;
  const connector = build({
    ...tls,
    ...(secureContext && { secureContext }),
    timeout: connectTimeout,
  });
  const listeners = new Set<(connection: NewConnection) => void>();
  const live = new Map<Socket, Certificate>();
  /** The leaf certificate of the pool's last full handshake, which resumed sessions share. */
  let sessionCertificate: Certificate | undefined;
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const startedAt = performance.now();
    let connectedAt: number | undefined;
    const pending = connector(connectOptions, (...args) => {
      const socket = args[1];
      if (socket) {
        socket.prependListener('error', (e: Error) => noteReuse(socket, e));
        const connection = newConnection(socket, startedAt, connectedAt, sessionCertificate);
        if (connection.certificate) {
          sessionCertificate = connection.certificate;
          live.set(socket, connection.certificate);
          socket.once('close', () => live.delete(socket));
        }
        for (const listener of listeners) listener(connection);
      }
      callback(...args);
    });
    // The connector returns the socket it opens (its type says never): TCP is up at 'connect'.
    (pending as Socket | undefined)?.once('connect', () => {
      connectedAt = performance.now();
    });
    return pending;
  };
  const { connections: _cap, ...clientOptions } = poolOptions;
  // Over TLS, one full handshake and the other connections resume its session (tls-resume.ts).
  const dial = secureContext ? resumingConnector(connect) : connect;
  return Object.assign(new PoolModule(origin, { ...poolOptions, connect: dial }), {
    freshConnection: () => new ClientModule(origin, { ...clientOptions, connect: dial }),
    observe: (listener: (connection: NewConnection) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    certificates: () => [...live.values()],
  });
}

/**
 * A connection's phases, and its leaf certificate read once (TLS only): a resumed session was
 * made with the certificate of an earlier handshake, `resumed`, which is not read again (node
 * builds a fresh object with its fingerprints at each read, 50-100 µs).
 */
function newConnection(
  socket: Socket | TLSSocket,
  startedAt: number,
  connectedAt = performance.now(),
  resumed?: Certificate,
): NewConnection {
  const now = performance.now();
  if (!('getPeerCertificate' in socket)) return { connectMs: connectedAt - startedAt };
  const certificate =
    resumed && socket.isSessionReused() ? resumed : certificateOf(socket.getPeerCertificate());
  return {
    connectMs: connectedAt - startedAt,
    tlsMs: now - connectedAt,
    ...(certificate && { certificate }),
  };
}

/**
 * True when `error` ended an HTTP/1.1 connection that had already delivered response bytes: the
 * server closed a kept-alive connection as the request went out (the keep-alive race). bytesRead
 * counts application bytes only (decrypted, for TLS), and with pipelining 1 an attempt that got no
 * response yet can only find bytes there from an earlier exchange.
 */
export function failedOnReusedConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, socket } = error as { code?: unknown; socket?: { bytesRead?: unknown } };
  if (!CLOSED_CODES.has(code)) return false; // e.g. a parser error over bytes it did read
  // undici's SocketError ("other side closed") carries the socket's counters itself.
  const bytesRead = socket?.bytesRead;
  return reusedSocketErrors.has(error) || (typeof bytesRead === 'number' && bytesRead > 0);
}

function noteReuse(socket: Socket | TLSSocket, error: Error): void {
  // An h2 socket reads SETTINGS before any response, so its counters say nothing of reuse.
  const h2 = 'alpnProtocol' in socket && socket.alpnProtocol === 'h2';
  if (!h2 && socket.bytesRead > 0) reusedSocketErrors.add(error);
}
