/**
 * An error that carries its HTTP status, shaped like middy's own (statusCode, expose, headers) so
 * that @middy/http-error-handler sends it. Ours, so that nothing imports @middy/util, which is a
 * dependency of the middlewares rather than of this package.
 */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  readonly statusCode: number;
  /** Tells @middy/http-error-handler the message is safe to send to the caller. */
  readonly expose = true;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    statusCode: number,
    message: string,
    options?: ErrorOptions & { headers?: Readonly<Record<string, string>> },
  ) {
    super(message, options);
    this.statusCode = statusCode;
    this.headers = options?.headers ?? {};
  }
}

/** The status of an HTTP error thrown by a middy middleware or by us; undefined otherwise. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
