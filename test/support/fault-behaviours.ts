import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { Socket } from 'node:net';

/** What the upstream does with one request. */
export type Behaviour =
  | {
      readonly type: 'status';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
      /** Answers this much later than the upstream's own latency. */
      readonly delayMs?: number;
    }
  /** Accepts the request and never answers. */
  | { readonly type: 'hang' }
  /** HTTP/1.1: a TCP RST instead of a response. HTTP/2: RST_STREAM with INTERNAL_ERROR. */
  | { readonly type: 'reset' }
  /** 200 with a body sent `chunk` bytes at a time every `everyMs`, `chunks` times. */
  | { readonly type: 'trickle'; readonly chunks: number; readonly everyMs: number }
  /** 200 with a body of `bytes`, announced by Content-Length or chunked. */
  | { readonly type: 'huge'; readonly bytes: number; readonly contentLength: boolean }
  /** HTTP/1.1: bytes that are not HTTP. HTTP/2: RST_STREAM with PROTOCOL_ERROR. */
  | { readonly type: 'garbage' }
  /** HTTP/2 only: RST_STREAM with REFUSED_STREAM, the request not processed (RFC 9113 §8.7). */
  | { readonly type: 'refuse' }
  /**
   * HTTP/2 only: GOAWAY with `code` for the whole connection, streams in flight cut; after a 200
   * to this request when `answered`. The server never closes the connection itself.
   */
  | { readonly type: 'goaway'; readonly code: number; readonly answered?: boolean }
  /**
   * 200 that announces `announced` bytes (or none), sends `sent` and resets the stream (HTTP/2,
   * with `code`, INTERNAL_ERROR by default) or the connection (HTTP/1.1).
   */
  | {
      readonly type: 'cut';
      readonly sent: number;
      readonly announced?: number;
      readonly code?: number;
    };

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** Plays one behaviour on a request; `later` schedules work that close() can cancel. */
export function respond(
  behaviour: Behaviour,
  req: Request,
  res: Response,
  later: (ms: number, fn: () => void) => void,
): void {
  const h2 = 'stream' in req;
  // The compat API's types differ by protocol; both accept these calls.
  const out = res as ServerResponse;
  switch (behaviour.type) {
    case 'status':
      if (behaviour.delayMs) {
        later(behaviour.delayMs, () => respond({ ...behaviour, delayMs: 0 }, req, res, later));
        return;
      }
      out.writeHead(behaviour.status, behaviour.headers);
      out.end(behaviour.body ?? '');
      return;
    case 'hang':
      return;
    case 'reset':
      if (h2) return void req.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      resetConnection(req.socket);
      return;
    case 'garbage':
      if (h2) return void req.stream.close(constants.NGHTTP2_PROTOCOL_ERROR);
      req.socket.end('SSH-2.0-not-http\r\n\r\n');
      return;
    case 'refuse':
      if (!h2) throw new Error('refuse is an HTTP/2 behaviour');
      req.stream.close(constants.NGHTTP2_REFUSED_STREAM);
      return;
    case 'goaway':
      if (!h2) throw new Error('goaway is an HTTP/2 behaviour');
      if (!behaviour.answered) return void req.stream.session?.goaway(behaviour.code);
      out.writeHead(200);
      out.end('{}', () => req.stream.session?.goaway(behaviour.code));
      return;
    case 'cut': {
      const announced = behaviour.announced;
      out.writeHead(200, announced === undefined ? {} : { 'content-length': String(announced) });
      out.write(Buffer.alloc(behaviour.sent, 'x'), () =>
        later(10, () => {
          if (h2) req.stream.close(behaviour.code ?? constants.NGHTTP2_INTERNAL_ERROR);
          else resetConnection(req.socket);
        }),
      );
      return;
    }
    case 'huge': {
      out.writeHead(200, behaviour.contentLength ? { 'content-length': behaviour.bytes } : {});
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let left = behaviour.bytes;
      const pump = () => {
        while (left > 0 && !out.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          if (!out.write(piece)) return void out.once('drain', pump);
        }
        if (!out.destroyed) out.end();
      };
      pump();
      return;
    }
    case 'trickle': {
      out.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const tick = () => {
        if (out.destroyed) return;
        if (sent++ >= behaviour.chunks) return void out.end();
        out.write('.');
        later(behaviour.everyMs, tick);
      };
      tick();
      return;
    }
  }
}

/** A TCP RST; over TLS it must go to the raw socket under the TLSSocket, which has no TCP handle. */
function resetConnection(socket: Socket): void {
  ((socket as Socket & { _parent?: Socket })._parent ?? socket).resetAndDestroy();
}
