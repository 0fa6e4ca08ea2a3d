import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on an ephemeral loopback port: its URL, and a close that cuts its sockets. */
export interface LoopbackServer {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 at a free port. */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
