import { setTimeout as sleep } from 'node:timers/promises';
import { isRetried, type RetryPolicy, retryWaitMs } from '../lambda/distributed/retries.js';

/** What a local retrier is told, and may be given. */
export interface RetryOptions {
  /** Told each failure that is retried, before the wait. */
  readonly onRetry?: (error: unknown) => void;
  /** Stops retrying (the CLI's Ctrl-C): the last failure, or the abort, is thrown. */
  readonly signal?: AbortSignal;
  /** Overrides the policy's first wait (tests). */
  readonly intervalMs?: number;
}

/**
 * `attempt()`, retried after a failure as the state machine's retrier with `policy` would:
 * up to policy.maxAttempts more times, waiting the interval and doubling, never for a failure a
 * retry would repeat (NEVER_RETRIED_ERRORS).
 */
export async function retried<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const waits = { ...policy, intervalMs: options.intervalMs ?? policy.intervalMs };
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= policy.maxAttempts || !isRetried(error) || options.signal?.aborted) throw error;
      options.onRetry?.(error);
      await sleep(retryWaitMs(waits, retry), undefined, { signal: options.signal });
    }
  }
}
