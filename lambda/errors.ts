/** Our own failures, as a few named classes. Target statuses are never errors: they are data. */

/** A setting read at cold start is invalid: the function must not start with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A caller's request is malformed or out of bounds; `details` lists each problem by field. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
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

/**
 * An event only our own infrastructure sends (a shard, a reduce step, an event of no known kind)
 * is malformed: our fault, not a caller's. `details` lists each problem; `cause` keeps the parser's.
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
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

/**
 * A baseline (a stored or given earlier sweep) is not a sweep response we can compare with:
 * `details` lists each problem. A deployed sweep logs it and goes on without a comparison.
 */
export class InvalidBaselineError extends Error {
  override readonly name = 'InvalidBaselineError';
}
