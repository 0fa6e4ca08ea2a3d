import type { TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';

/**
 * How long the first connection's TLS session ticket is waited for after its handshake: a TLS 1.3
 * server sends it a round trip after the handshake; one that sends none holds nobody longer.
 */
export const TICKET_WAIT_MS = 50;

/**
 * A connector that opens a pool's first TLS connection alone and holds the others until it has a
 * session to resume (undici's connector keeps one per host and offers it on the next connect): one
 * full handshake, the rest resumed, which skips the certificate chain's checks and the peer
 * certificate object on both ends. The hold ends when the first connection gets its session,
 * closes, fails, or `waitMs` after its handshake, so nothing waits for a ticket that never comes.
 */
export function resumingConnector(
  connector: buildConnector.connector,
  waitMs = TICKET_WAIT_MS,
): buildConnector.connector {
  /** Connects waiting for the first one's session; undefined before the first, null once open. */
  let held: Array<() => void> | null | undefined;
  const release = () => {
    const waiting = held ?? [];
    held = null;
    for (const go of waiting) go();
  };
  return (options, callback) => {
    if (held === null) return connector(options, callback);
    if (held !== undefined) {
      held.push(() => connector(options, callback));
      return undefined as never;
    }
    held = [];
    const socket = connector(options, (...args) => {
      if (args[0]) release();
      callback(...args);
    }) as TLSSocket | undefined;
    if (!socket) release();
    else {
      socket.once('session', release).once('close', release);
      socket.once('secureConnect', () => setTimeout(release, waitMs).unref());
    }
    return socket as never;
  };
}
