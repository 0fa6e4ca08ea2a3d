/** Our own failures, as a few named classes. Target statuses are never errors: they are data. */

/** A setting read at cold start is invalid: the function must not start with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Bad input, with each problem listed by field (`expect.0.statuses`) for the one who sent it. */
export abstract class InputError extends Error {
  readonly details: Readonly<Record<string, readonly string[]>>;

  constructor(
    message: string,
    details: Readonly<Record<string, readonly string[]>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.details = details;
  }
}

/** A caller's request is malformed or out of bounds: a 400 on the API. */
export class InvalidRequestError extends InputError {
  override readonly name = 'InvalidRequestError';
}

/**
 * An event only our own infrastructure sends (a shard, a reduce step, an event of no known kind)
 * is malformed: our fault, not a caller's. `cause` keeps the parser's error.
 */
export class InvalidEventError extends InputError {
  override readonly name = 'InvalidEventError';
}

/**
 * A baseline (a stored or given earlier sweep) is not a sweep response we can compare with. A
 * deployed sweep logs it and goes on without a comparison.
 */
export class InvalidBaselineError extends Error {
  override readonly name = 'InvalidBaselineError';
}

/**
 * A service a sweep depends on (Secrets Manager) throttled it or failed on its side (5xx, no
 * answer in time): the next attempt may well succeed, so a shard that throws it is swept again.
 */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  /** When a caller should try again: an API answer's Retry-After. */
  readonly retryAfterSeconds: number;

  constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 5;
  }
}

/**
 * A distributed sweep of this target is still running: a second would multiply the rate the
 * target sees, so it is refused (409 on the API), naming the running one.
 */
export class RunInProgressError extends Error {
  override readonly name = 'RunInProgressError';
  /** The running sweep, and where the API follows it. */
  readonly sweepId: string;
  readonly statusUrl: string;

  constructor(sweepId: string, statusUrl: string, message: string) {
    super(message);
    this.sweepId = sweepId;
    this.statusUrl = statusUrl;
  }
}

/**
 * Whether another AWS call may succeed: a throttle, a 5xx, no answer (timed out, aborted, a
 * network error such as ECONNRESET). Any other 4xx (not found, access denied, a limit reached)
 * says the call or its permissions are wrong, and an error that is not the SDK's is a bug.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export function isTransientAwsError(error: unknown): boolean {
  const { name, code, $metadata, $retryable } = (error ?? {}) as {
    name?: string;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const status = $metadata?.httpStatusCode;
  return (
    $retryable !== undefined ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) ||
    /Throttl|TooManyRequests|Timeout|Abort/.test(name ?? '')
  );
}

/**
 * What the handlers throw that another attempt would only repeat: an event only our own
 * infrastructure sends, malformed, and a setting that is wrong (not one that could not be read
 * just now, which is ServiceUnavailableError). The state machine never retries these
 * (infra/constructs/shard-retries.ts); any other error of a task is worth one more attempt.
 */
export const NEVER_RETRIED_ERRORS: readonly string[] = [InvalidEventError.name, ConfigError.name];

/** Our errors a retry may cure; every class above is in exactly one of the two lists. */
export const RETRYABLE_ERRORS: readonly string[] = [ServiceUnavailableError.name];
