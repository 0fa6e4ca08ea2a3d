import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { DEFAULT_FUNCTION_TIMEOUT_MS, DEFAULT_MEMORY_MB } from '../lambda/ground/defaults.js';

export interface LambdaContextOptions {
  /** What getRemainingTimeInMillis() starts at; it counts down in real time. @default 120_000 */
  readonly remainingMs?: number;
  /** @default - a fresh UUID */
  readonly awsRequestId?: string;
}

/**
 * A Lambda context as the runtime passes it: the one builder for local sweeps (dev/) and tests
 * (test/support/ re-exports it). The remaining time counts down from the deployed default timeout.
 */
export function lambdaContext(options: LambdaContextOptions = {}): Context {
  const endsAt = Date.now() + (options.remainingMs ?? DEFAULT_FUNCTION_TIMEOUT_MS);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'status-sweep-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:status-sweep-local',
    memoryLimitInMB: String(DEFAULT_MEMORY_MB),
    awsRequestId: options.awsRequestId ?? randomUUID(),
    logGroupName: '/aws/lambda/status-sweep-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
