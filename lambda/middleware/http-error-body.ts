import type { MiddlewareObj } from '@middy/core';
import { InvalidRequestError } from '../ground/errors.js';
import { HttpStatusError, httpStatusOf } from './http-status-error.js';

/** The `code` of every error body the API sends; documented in the README. */
export const ErrorCode = {
  invalidRequest: 'invalid_request',
  malformedJson: 'malformed_json',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Client errors thrown by middy's middlewares and ours, by the status they carry. */
const CLIENT_ERRORS: ReadonlyMap<number, { status: number; code: ErrorCode }> = new Map([
  [404, { status: 404, code: ErrorCode.notFound }],
  [405, { status: 405, code: ErrorCode.methodNotAllowed }],
  [413, { status: 413, code: ErrorCode.payloadTooLarge }],
  [415, { status: 415, code: ErrorCode.unsupportedMediaType }],
  // @middy/http-json-body-parser answers 422 for a missing or unparseable body: a 400 here.
  [422, { status: 400, code: ErrorCode.malformedJson }],
]);

/** The body of every error response: `{"error":{"code","message","details"?}}`. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    /** Field name → what is wrong with it, for invalid_request. */
    readonly details?: Readonly<Record<string, readonly string[]>>;
    /** For internal_error: the Lambda request id that finds the logged cause. */
    readonly requestId?: string;
  };
}

/**
 * Turns every error into an HttpStatusError whose message is the JSON error body, which
 * @middy/http-error-handler (used before this one, so its onError runs after) then sends. Our own
 * bugs become a 500 with a generic message and the request id; the original stays in `cause`.
 */
export function httpErrorBody(): MiddlewareObj {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof InvalidRequestError) {
        request.error = jsonError(400, {
          code: ErrorCode.invalidRequest,
          message: error.message,
          details: error.details,
        });
        return;
      }
      const status = httpStatusOf(error);
      const known = status === undefined ? undefined : CLIENT_ERRORS.get(status);
      if (known && error) {
        const headers = (error as { headers?: Record<string, string> }).headers;
        request.error = jsonError(
          known.status,
          { code: known.code, message: clientMessage(known.code, error) },
          {
            headers,
          },
        );
        return;
      }
      const requestId = request.context.awsRequestId;
      request.error = jsonError(
        500,
        {
          code: ErrorCode.internal,
          message: `internal error; quote request id ${requestId} when reporting it`,
          requestId,
        },
        { cause: error },
      );
    },
  };
}

/** middy's messages, made specific: what was received, or where the JSON broke. */
function clientMessage(code: ErrorCode, error: Error): string {
  const cause = error.cause as { data?: unknown; message?: unknown } | undefined;
  if (code === ErrorCode.unsupportedMediaType) {
    const received = typeof cause?.data === 'string' ? `"${cause.data}"` : 'no content-type';
    return `the body must be application/json, got ${received}`;
  }
  if (code === ErrorCode.malformedJson && typeof cause?.message === 'string') {
    return `the body is not valid JSON: ${cause.message}`;
  }
  return error.message;
}

function jsonError(
  status: number,
  body: ErrorBody['error'],
  options?: ErrorOptions & { headers?: Record<string, string> },
): HttpStatusError {
  return new HttpStatusError(status, JSON.stringify({ error: body } satisfies ErrorBody), options);
}
