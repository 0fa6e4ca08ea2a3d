import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SWEEPS_METHODS, SWEEPS_PATH } from '../lambda/routes.js';

export interface LocalHttpRequest {
  readonly method: string;
  /** Path and query as received: '/sweeps?start=1&end=3'. */
  readonly url: string;
  /** Node's lowercased header names; repeated values already joined or as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: Buffer;
  readonly sourceIp?: string;
  readonly host?: string;
}

const TEXTUAL = /^(application\/([a-z0-9.+-]+\+)?json|text\/|application\/x-www-form-urlencoded)/i;

/**
 * The HTTP API payload 2.0 event API Gateway would send for this request: lowercased headers,
 * repeated headers and query parameters joined with commas, cookies apart, binary bodies base64.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function toHttpApiEvent(request: LocalHttpRequest): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = request.url.split(/\?(.*)/s);
  const query = new URLSearchParams(rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
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
  const textual = TEXTUAL.test(headers['content-type'] ?? '');
  const hasBody = request.body !== undefined && request.body.length > 0;
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
    ...(hasBody && {
      body: textual ? request.body?.toString('utf8') : request.body?.toString('base64'),
    }),
    isBase64Encoded: hasBody && !textual,
  };
}
