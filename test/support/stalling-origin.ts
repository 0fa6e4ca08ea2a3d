import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import type { KeyPair } from './certificates.js';

/**
 * An HTTPS origin whose TLS handshakes can stall: while stalled it accepts every connection and
 * never answers the ClientHello (the sockets stay open until the client gives up); once
 * recovered it hands new connections to a real HTTPS server answering 200 to every request.
 */
export interface StallingOrigin {
  /** `https://127.0.0.1:PORT/items/{id}` */
  readonly urlTemplate: string;
  /** From now on, new connections are served; the stalled ones stay stalled. */
  recover(): void;
  /** Connections accepted while stalled. */
  stalledConnections(): number;
  /** Connections still open (stalled or served). */
  openConnections(): number;
  /** Requests answered since recovering. */
  answered(): number;
  close(): Promise<void>;
}

/** Starts an origin that stalls handshakes until recover() is called. */
export async function startStallingOrigin(tls: KeyPair): Promise<StallingOrigin> {
  let stalling = true;
  let stalled = 0;
  let answered = 0;
  const sockets = new Set<Socket>();
  const https = createHttpsServer({ ...tls, keepAlive: true }, (_req, res) => {
    answered++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  https.on('tlsClientError', () => undefined);
  const front = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (stalling) {
      stalled++;
      socket.resume(); // reads (and ignores) the ClientHello, so the client's close is seen
    } else {
      https.emit('connection', socket);
    }
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  return {
    urlTemplate: `https://127.0.0.1:${port}/items/{id}`,
    recover: () => {
      stalling = false;
    },
    stalledConnections: () => stalled,
    openConnections: () => sockets.size,
    answered: () => answered,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      https.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
