/**
 * Lambda events and context as AWS documents them, for driving the handler in tests.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { toHttpApiEvent } from '../../dev/http-api-event.js';

export interface HttpApiRequest {
  readonly method: string;
  /** The path with an optional query string: '/sweeps?start=1&end=3'. */
  readonly path: string;
  /** Header names in any case: API Gateway lowercases them, so the fixture does too. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** The authorizer context API Gateway adds for a route with IAM authorization. */
const IAM_AUTHORIZER = {
  iam: {
    accessKey: 'ASIAEXAMPLE',
    accountId: '123456789012',
    callerId: 'AROAEXAMPLE:tester',
    cognitoIdentity: null,
    principalOrgId: 'o-exampleorgid',
    userArn: 'arn:aws:sts::123456789012:assumed-role/tester/tester',
    userId: 'AROAEXAMPLE:tester',
  },
};
const API_HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';

/**
 * An HTTP API payload 2.0 event as API Gateway sends it for a route with IAM authorization: the
 * builder dev/ uses, with the headers API Gateway adds in front of a deployed API.
 */
export function httpApiEvent(request: HttpApiRequest): APIGatewayProxyEventV2WithIAMAuthorizer {
  const event = toHttpApiEvent({
    method: request.method,
    url: request.path,
    headers: {
      'content-length': String(Buffer.byteLength(request.body ?? '')),
      host: API_HOST,
      'user-agent': 'vitest',
      'x-amzn-trace-id': 'Root=1-65f0c0de-0123456789abcdef01234567',
      'x-forwarded-for': '192.0.2.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...Object.fromEntries(
        Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    },
    body: request.body,
    isBase64Encoded: request.isBase64Encoded,
    sourceIp: '192.0.2.10',
    host: API_HOST,
  });
  return { ...event, requestContext: { ...event.requestContext, authorizer: IAM_AUTHORIZER } };
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

/** The Lambda context builder dev/ uses; its remaining time counts down in real time. */
export { type LambdaContextOptions, lambdaContext } from '../../dev/lambda-context.js';
