import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpStatusError } from './http-status-error.js';

/** The largest POST body accepted: a sweep request is under 300 bytes (the 16 KiB). */
export const MAX_BODY_BYTES = 16 * 1024;

/** Rejects a body larger than maxBytes (decoded) with 413 before anything parses it. */
export function bodyLimit(
  maxBytes: number = MAX_BODY_BYTES,
): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      if (event.body === undefined) return;
      const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (bytes > maxBytes) {
        throw new HttpStatusError(
          413,
          `the body is ${bytes} bytes; at most ${maxBytes} are accepted`,
        );
      }
    },
  };
}
