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
