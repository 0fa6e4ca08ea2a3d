/** Backoff between attempts: exponential with full jitter, or the target's Retry-After. */

/** The first retry waits up to this long (full jitter: uniformly 0..base). */
export const BACKOFF_BASE_MS = 100;
/** No computed backoff waits longer than this. */
export const BACKOFF_CAP_MS = 5_000;
/** A Retry-After beyond this is capped: a sweep should not idle for minutes on one id. */
export const RETRY_AFTER_CAP_MS = 20_000;

/**
 * The wait before retry number `retry` (1 for the first retry): "full jitter" from the AWS
 * Architecture Blog's "Exponential Backoff And Jitter", random in [0, min(cap, base·2^(retry−1))].
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with a day name. */
const HTTP_DATE = /^[A-Za-z]{3}/;

/**
 * Retry-After (RFC 9110 §10.2.3) in milliseconds from `now`, capped; undefined when absent or
 * unreadable. Accepts delay-seconds or an HTTP date.
 */
export function retryAfterMs(
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else if (HTTP_DATE.test(value)) {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  } else {
    return undefined;
  }
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, ms));
}
