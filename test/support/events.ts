/**
 * Lambda events and context as AWS documents them, for driving the handler in tests.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, Context } from 'aws-lambda';

export interface HttpApiRequest {
  readonly method: string;
  /** The path with an optional query string: '/sweeps?start=1&end=3'. */
  readonly path: string;
  /** Header names in any case: API Gateway lowercases them, so the fixture does too. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** An HTTP API payload 2.0 event as API Gateway sends it for a route with IAM authorization. */
export function httpApiEvent(request: HttpApiRequest): APIGatewayProxyEventV2WithIAMAuthorizer {
  const [rawPath = '/', rawQueryString = ''] = request.path.split(/\?(.*)/s);
  const query = new URLSearchParams(rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  // Repeated parameters are joined with commas, as in payload format 2.0.
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const headers: Record<string, string> = {
    'content-length': String(Buffer.byteLength(request.body ?? '')),
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'vitest',
    'x-amzn-trace-id': 'Root=1-65f0c0de-0123456789abcdef01234567',
    'x-forwarded-for': '192.0.2.10',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const routeKey = `${request.method} ${rawPath}`;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString !== '' && { queryStringParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLE',
          accountId: '123456789012',
          callerId: 'AROAEXAMPLE:tester',
          cognitoIdentity: null,
          principalOrgId: 'o-exampleorgid',
          userArn: 'arn:aws:sts::123456789012:assumed-role/tester/tester',
          userId: 'AROAEXAMPLE:tester',
        },
      },
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.10',
        userAgent: 'vitest',
      },
      requestId: 'Ab1CdEfGhIjKlM=',
      routeKey,
      stage: '$default',
      time: '12/Mar/2026:19:03:58 +0000',
      timeEpoch: now,
    },
    ...(request.body !== undefined && { body: request.body }),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

/** POST /sweeps with a JSON body. */
export function postSweeps(body: unknown, headers: Record<string, string> = {}) {
  return httpApiEvent({
    method: 'POST',
    path: '/sweeps',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** GET /sweeps?… with the fields as query parameters. */
export function getSweeps(query: Record<string, string | number>) {
  const qs = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  );
  return httpApiEvent({ method: 'GET', path: `/sweeps?${qs}` });
}

/**
 * An EventBridge Scheduler invocation: the schedule's input JSON arrives as the event, unchanged.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
 */
export function scheduleEvent(input: Record<string, unknown>): Record<string, unknown> {
  return structuredClone(input);
}

/** A direct invocation (`aws lambda invoke --payload …`): the payload is the event. */
export const directEvent = scheduleEvent;

export interface ContextOptions {
  /** What getRemainingTimeInMillis() starts at; it counts down in real time. @default 120_000 */
  readonly remainingMs?: number;
  readonly awsRequestId?: string;
}

/** A Lambda context whose remaining time counts down from remainingMs. */
export function lambdaContext(options: ContextOptions = {}): Context {
  const endsAt = Date.now() + (options.remainingMs ?? 120_000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'status-sweep',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:status-sweep',
    memoryLimitInMB: '1024',
    awsRequestId: options.awsRequestId ?? 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/status-sweep',
    logStreamName: '2026/03/12/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
