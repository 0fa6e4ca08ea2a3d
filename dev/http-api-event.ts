import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SWEEPS_METHODS, SWEEPS_PATH } from '../lambda/contract/routes.js';

export interface LocalHttpRequest {
  readonly method: string;
  /** Path and query as received: '/sweeps?start=1&end=3'. */
  readonly url: string;
  /** Node's lowercased header names; repeated values already joined or as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Bytes as received (base64-encoded unless textual), or a body already as the event carries it. */
  readonly body?: Buffer | string;
  /** For a string body: whether it is already base64. @default false */
  readonly isBase64Encoded?: boolean;
  readonly sourceIp?: string;
  readonly host?: string;
}

const TEXTUAL = /^(application\/([a-z0-9.+-]+\+)?json|text\/|application\/x-www-form-urlencoded)/i;

/**
 * The HTTP API payload 2.0 event API Gateway would send for this request: lowercased headers,
 * repeated headers and query parameters joined with commas, cookies apart, binary bodies base64.
 * The one builder for the local API, the CLI and the tests (test/support/ wraps it).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function toHttpApiEvent(request: LocalHttpRequest): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = request.url.split(/\?(.*)/s);
  const query = new URLSearchParams(rawQueryString);
  // fromEntries defines own keys, as JSON.parse does for Lambda: "__proto__" stays a parameter.
  const queryStringParameters: Record<string, string> = Object.fromEntries(
    [...new Set(query.keys())].map((key) => [key, query.getAll(key).join(',')]),
  );
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const joined = typeof value === 'string' ? value : value.join(',');
    if (name.toLowerCase() === 'cookie') cookies = joined.split(/;\s*/);
    else headers[name.toLowerCase()] = joined;
  }
  const path = decodeURI(rawPath);
  const deployed =
    path.replace(/\/$/, '') === SWEEPS_PATH &&
    (SWEEPS_METHODS as readonly string[]).includes(request.method);
  const routeKey = deployed ? `${request.method} ${SWEEPS_PATH}` : '$default';
  const { body, isBase64Encoded } = eventBody(request, TEXTUAL.test(headers['content-type'] ?? ''));
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies && { cookies }),
    headers,
    ...(rawQueryString !== '' && { queryStringParameters }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: request.host ?? 'localhost',
      domainPrefix: (request.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined && { body }),
    isBase64Encoded,
  };
}

/** Bytes become text or base64 as API Gateway encodes them; a string body is kept as given. */
function eventBody(
  request: LocalHttpRequest,
  textual: boolean,
): { body?: string; isBase64Encoded: boolean } {
  const { body } = request;
  if (typeof body === 'string') return { body, isBase64Encoded: request.isBase64Encoded ?? false };
  if (body === undefined || body.length === 0) return { isBase64Encoded: false };
  return textual
    ? { body: body.toString('utf8'), isBase64Encoded: false }
    : { body: body.toString('base64'), isBase64Encoded: true };
}
