/**
 * How one id can end. A final HTTP status is data, whatever its class; the error kinds are the
 * ways an attempt can fail before a status arrives. Every id in a range ends in exactly one.
 */
export const ErrorKind = {
  /** No response within the per-attempt timeout (connect, headers or body). */
  timeout: 'timeout',
  /** Refused, reset or closed connection. */
  connection: 'connection',
  /** The target's host name did not resolve. */
  dns: 'dns',
  /** The TLS handshake or certificate check failed. */
  tls: 'tls',
  /** The target answered with something that is not valid HTTP/1.1. */
  protocol: 'protocol',
  /** In flight when the sweep's deadline arrived. */
  aborted: 'aborted',
  /** Anything else: kept so that no id is ever lost. */
  other: 'other',
} as const;

export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export const ERROR_KINDS: readonly ErrorKind[] = Object.values(ErrorKind);

/** The outcome key of ids that were never started because the deadline came first. */
export const NOT_ATTEMPTED = 'notAttempted';

/**
 * How an id whose status its rule accepts can still miss: its body failed the rule's checks
 * (`content`), or it answered slower than the rule's maxLatencyMs (`slow`). Content wins over slow.
 */
export const CheckKind = {
  content: 'content',
  slow: 'slow',
} as const;
export type CheckKind = (typeof CheckKind)[keyof typeof CheckKind];

export const CHECK_KINDS: readonly CheckKind[] = Object.values(CheckKind);

export type Outcome =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'error'; readonly error: ErrorKind }
  /** A status the rule accepts, with a failed check: the id's outcome is the check, not the status. */
  | { readonly kind: 'check'; readonly check: CheckKind; readonly status: number };

/** Statuses worth another attempt (network errors are decided in classify.ts). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Error kinds worth another attempt: transient by nature, unlike a bad certificate. */
export const RETRYABLE_ERRORS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  ErrorKind.timeout,
  ErrorKind.connection,
  ErrorKind.dns,
]);

/**
 * Outcomes are stored per id as one small integer (a Uint16Array slot), so that a 1,000,000-id
 * sweep keeps 2 MB of state and nothing per request: 0 = not attempted, 100..599 = that status,
 * ERROR_CODE_BASE + i = the i-th error kind, CHECK_CODE_BASE + i = the i-th check kind.
 */
export const NOT_ATTEMPTED_CODE = 0;
const ERROR_CODE_BASE = 1000;
const CHECK_CODE_BASE = 2000;

export function outcomeCode(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'status':
      return outcome.status;
    case 'error':
      return ERROR_CODE_BASE + ERROR_KINDS.indexOf(outcome.error);
    case 'check':
      return CHECK_CODE_BASE + CHECK_KINDS.indexOf(outcome.check);
  }
}

/** The key an outcome code is reported under: "200", "timeout", "content" or "notAttempted". */
export function outcomeKey(code: number): string {
  if (code === NOT_ATTEMPTED_CODE) return NOT_ATTEMPTED;
  if (code >= CHECK_CODE_BASE) return CHECK_KINDS[code - CHECK_CODE_BASE] ?? CheckKind.content;
  if (code >= ERROR_CODE_BASE) return ERROR_KINDS[code - ERROR_CODE_BASE] ?? ErrorKind.other;
  return String(code);
}
