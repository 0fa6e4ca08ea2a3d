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
