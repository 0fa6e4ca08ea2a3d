import { NEVER_RETRIED_ERRORS } from '../ground/errors.js';

/**
 * How a run retries a shard or its reduce step that ran and failed (a crash): the state machine's
 * retriers (infra/constructs/shard-retries.ts) and the local runs (dev/local-runs.ts) read these,
 * so a run retries alike wherever it runs. Plain numbers: the local side loads no CDK.
 */

/** A retrier's waits: `intervalMs`, then doubling, for `maxAttempts` retries. */
export interface RetryPolicy {
  readonly intervalMs: number;
  readonly backoffRate: number;
  readonly maxAttempts: number;
}

/**
 * A shard that failed is swept again at most this many times (the state machine may allow fewer,
 * so that every retry fits the Express child's five minutes: shardRetriesWithin).
 */
export const SHARD_RETRY: RetryPolicy = { intervalMs: 2_000, backoffRate: 2, maxAttempts: 2 };

/**
 * The reduce step ran and failed (a crash, a transient S3 error): merged again, twice at most.
 * It is idempotent: the result and the baseline are written whole (the baseline conditionally),
 * and at worst the run's metrics are published twice.
 */
export const REDUCE_RETRY_POLICY: RetryPolicy = {
  intervalMs: 2_000,
  backoffRate: 2,
  maxAttempts: 2,
};

/** The wait before retry `retry` (0 for the first): the interval, doubling. */
export function retryWaitMs(policy: RetryPolicy, retry: number): number {
  return policy.intervalMs * policy.backoffRate ** retry;
}

/** False for a failure a retry would repeat: a refused event or setting (NEVER_RETRIED_ERRORS). */
export function isRetried(error: unknown): boolean {
  return !(error instanceof Error && NEVER_RETRIED_ERRORS.includes(error.name));
}
