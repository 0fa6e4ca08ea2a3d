import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The deployed function's default timeout (infra/: 120 s); local runs get the same budget. */
export const LOCAL_FUNCTION_TIMEOUT_MS = 120_000;

/** A Lambda context for local runs: a fresh request id and a remaining time that counts down. */
export function localContext(timeoutMs: number = LOCAL_FUNCTION_TIMEOUT_MS): Context {
  const endsAt = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'status-sweep-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:status-sweep-local',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/status-sweep-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
