import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InvalidRequestError } from '../ground/errors.js';
import { HttpStatusError } from './http-status-error.js';

/** The largest POST body accepted: a sweep request is under 300 bytes (the 16 KiB). */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * The deepest nesting of arrays and objects accepted. A sweep request is one flat object; V8's
 * JSON.parse recurses and overflows its stack a few thousand levels down, which a 16 KiB body of
 * brackets reaches, so deeper bodies are refused before anything parses them.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * What a POST body must be before anything parses it: a string (API Gateway always sends one; a
 * hand-made event may not), at most maxBytes once decoded (else 413), nested at most
 * MAX_JSON_DEPTH deep.
 */
export function bodyLimit(
  maxBytes: number = MAX_BODY_BYTES,
): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      const body: unknown = event.body;
      if (body === undefined || body === null) return;
      if (typeof body !== 'string') {
        throw invalidBody(`must be a string (the JSON text), got ${describeType(body)}`);
      }
      const bytes = Buffer.byteLength(body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (bytes > maxBytes) {
        throw new HttpStatusError(
          413,
          `the body is ${bytes} bytes; at most ${maxBytes} are accepted`,
        );
      }
      const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
      if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
        throw invalidBody(
          `must nest arrays and objects at most ${MAX_JSON_DEPTH} deep (a sweep request is one flat object)`,
        );
      }
    },
  };
}

function invalidBody(problem: string): InvalidRequestError {
  return new InvalidRequestError(`invalid request: body ${problem}`, { body: [problem] });
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** True when `[` and `{` outside strings open more than maxDepth levels at some point. */
function nestsDeeperThan(json: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
