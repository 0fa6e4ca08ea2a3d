import { ok, status } from './fault-tour.js';
import type { Script } from './fault-upstream.js';

/**
 * A rate limiter as a script (nginx's limit_req, or an API gateway's): a bucket of `burst`
 * requests refilled at `perSecond`; a request that finds it empty gets a 429, with `retryAfter`
 * seconds when given (nginx sends none).
 */
export function tokenBucket(perSecond: number, burst: number, retryAfter?: string): Script {
  let tokens = burst;
  let last = performance.now();
  return () => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return ok();
    }
    return status(429, retryAfter === undefined ? undefined : { 'retry-after': retryAfter });
  };
}
