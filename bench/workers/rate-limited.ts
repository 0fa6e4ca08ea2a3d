/**
 * A rate-limited origin in a process of its own (item 12): each job starts a fresh token bucket
 * refilled at `perSecond` that answers 429 with `Retry-After` when empty, and returns its URL
 * template; the next job closes the previous one.
 */
import { type FaultUpstream, startFaultUpstream } from '../../test/support/fault-upstream.js';
import { tokenBucket } from '../../test/support/token-bucket.js';
import { serveJobs } from '../lib/procs.js';

export interface RateLimitedJob {
  readonly perSecond: number;
  readonly burst: number;
  readonly retryAfter: string;
  readonly latencyMs: number;
}

export interface RateLimitedOrigin {
  readonly template: string;
}

let current: FaultUpstream | undefined;

serveJobs(async (job: RateLimitedJob): Promise<RateLimitedOrigin> => {
  await current?.close();
  const { perSecond, burst, retryAfter, latencyMs } = job;
  current = await startFaultUpstream(tokenBucket(perSecond, burst, retryAfter), { latencyMs });
  return { template: current.urlTemplate };
});
