import { setTimeout as sleepFor } from 'node:timers/promises';

/**
 * The longest delay a Node timer keeps: a longer one fires after 1 ms instead (with a
 * TimeoutOverflowWarning), so a far deadline or a slow rate would fire at once.
 * @see https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Waits `ms` (any length, in steps Node keeps); rejects when `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  for (let left = ms; left > 0; left -= MAX_TIMER_DELAY_MS) {
    await sleepFor(Math.min(left, MAX_TIMER_DELAY_MS), undefined, { signal });
  }
}

/** setTimeout for any delay; the returned function cancels it. */
export function onceAfter(ms: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (left: number) => {
    timer = setTimeout(
      () => (left > MAX_TIMER_DELAY_MS ? arm(left - MAX_TIMER_DELAY_MS) : fn()),
      Math.min(left, MAX_TIMER_DELAY_MS),
    );
  };
  arm(Math.max(0, ms));
  return () => clearTimeout(timer);
}
