import { ErrorKind } from './outcome.js';

/** undici and Node error codes by the kind they are reported as. */
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  UND_ERR_CONNECT_TIMEOUT: ErrorKind.timeout,
  UND_ERR_HEADERS_TIMEOUT: ErrorKind.timeout,
  UND_ERR_BODY_TIMEOUT: ErrorKind.timeout,
  ETIMEDOUT: ErrorKind.timeout,
  ECONNREFUSED: ErrorKind.connection,
  ECONNRESET: ErrorKind.connection,
  ECONNABORTED: ErrorKind.connection,
  EPIPE: ErrorKind.connection,
  EHOSTUNREACH: ErrorKind.connection,
  ENETUNREACH: ErrorKind.connection,
  EADDRNOTAVAIL: ErrorKind.connection,
  UND_ERR_SOCKET: ErrorKind.connection,
  UND_ERR_CLOSED: ErrorKind.connection,
  ENOTFOUND: ErrorKind.dns,
  EAI_AGAIN: ErrorKind.dns,
  EAI_FAIL: ErrorKind.dns,
  EAI_NONAME: ErrorKind.dns,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: ErrorKind.protocol,
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: ErrorKind.protocol,
  UND_ERR_INFO: ErrorKind.protocol,
  UND_ERR_RES_EXCEEDED_MAX_SIZE: ErrorKind.protocol,
  UND_ERR_HEADERS_OVERFLOW: ErrorKind.protocol,
  ERR_HTTP2_ERROR: ErrorKind.protocol,
  // The session ended under the stream: a GOAWAY with an error code, or a session torn down.
  ERR_HTTP2_SESSION_ERROR: ErrorKind.connection,
  ERR_HTTP2_GOAWAY_SESSION: ErrorKind.connection,
  ERR_HTTP2_INVALID_SESSION: ErrorKind.connection,
  ERR_HTTP2_STREAM_CANCEL: ErrorKind.connection,
};

/**
 * RST_STREAM codes (RFC 9113 §7) that say the peer broke HTTP/2; every other code resets one
 * stream the way a TCP RST resets an HTTP/1.1 exchange, and REFUSED_STREAM even promises that the
 * request was not processed (§8.7). undici puts the code on the error as `http2ErrorCode`.
 */
const PROTOCOL_RST_CODES: ReadonlySet<number> = new Set([
  0x1, // PROTOCOL_ERROR
  0x3, // FLOW_CONTROL_ERROR
  0x6, // FRAME_SIZE_ERROR
  0x9, // COMPRESSION_ERROR
  0xd, // HTTP_1_1_REQUIRED
]);

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL)/;
/** llhttp's parser errors: the peer did not speak HTTP/1.1. */
const PARSER_CODE = /^HPE_/;
/** Errors undici raises without a code: which kind each name means. */
const KIND_BY_NAME: Readonly<Record<string, ErrorKind>> = {
  TimeoutError: ErrorKind.timeout,
  HTTPParserError: ErrorKind.protocol,
};

/** The kind of a failed attempt, from the error and, failing that, its causes. */
export function classifyError(error: unknown): ErrorKind {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const { code, http2ErrorCode } = e as { code?: unknown; http2ErrorCode?: unknown };
    if (typeof http2ErrorCode === 'number') {
      return PROTOCOL_RST_CODES.has(http2ErrorCode) ? ErrorKind.protocol : ErrorKind.connection;
    }
    if (typeof code === 'string') {
      const kind = KIND_BY_CODE[code];
      if (kind) return kind;
      if (TLS_CODE.test(code)) return ErrorKind.tls;
      if (PARSER_CODE.test(code)) return ErrorKind.protocol;
    }
    const byName = KIND_BY_NAME[e.name];
    if (byName) return byName;
    e = e.cause;
  }
  return ErrorKind.other;
}
