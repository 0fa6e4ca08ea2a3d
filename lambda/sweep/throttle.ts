import { RETRY_AFTER_CAP_MS, retryAfterMs } from './retry.js';
import { sleep } from './timers.js';

/** Statuses by which an origin says "too much": Too Many Requests, Service Unavailable. */
const THROTTLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);
/**
 * Without a Retry-After, this many 429s within BURST_WINDOW_MS mean a rate limit (nginx's
 * limit_req sends none): every launch pauses for BURST_PAUSE_MS.
 */
export const BURST_COUNT = 10;
export const BURST_WINDOW_MS = 1_000;
export const BURST_PAUSE_MS = 1_000;

/**
 * One origin's "slow down", shared by every worker of a sweep. A 429/503 with Retry-After (or a
 * burst of 429s) pauses every new request to the origin for that long, not just the id that got
 * it, and halves the requests allowed in flight; each answer that is not a throttle then allows
 * one more, up to the sweep's concurrency (TCP's slow start after a loss), so that a resumed
 * sweep does not meet the limit again with all its workers at once. The caller's `tooLate` bounds
 * every pause by the deadline. Clock: performance.now() ms.
 */
export class Throttle {
  readonly #max: number;
  #limit: number;
  #running = 0;
  #waiters: (() => void)[] = [];
  #pausedUntil = 0;
  #burst: number[] = [];
  /** Pauses begun (a pause extended while it runs is the same pause). */
  pauses = 0;

  constructor(concurrency: number) {
    this.#max = concurrency;
    this.#limit = concurrency;
  }

  /**
   * Resolves true when a request may start (then call done() once it ends), false when the
   * sweep stopped or the pause would outlast the deadline.
   */
  async admit(signal: AbortSignal, tooLate: (waitMs: number) => boolean): Promise<boolean> {
    while (!signal.aborted) {
      const pause = this.#pausedUntil - performance.now();
      if (pause > 0) {
        if (tooLate(pause)) {
          // The pause outlasts the deadline for every worker alike: release the waiting ones to
          // stop too, rather than sleep until the deadline wakes them.
          this.wakeAll();
          return false;
        }
        await sleep(pause, signal).catch(() => undefined);
      } else if (this.#running < this.#limit) {
        this.#running++;
        return true;
      } else {
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      }
    }
    return false;
  }

  /** An admitted request ended with `status` (undefined: no status) and its Retry-After. */
  done(status: number | undefined, retryAfter?: string | string[]): void {
    this.#running--;
    if (status !== undefined && THROTTLE_STATUSES.has(status)) {
      this.#observe(status, retryAfter, performance.now());
    } else if (status !== undefined) {
      this.#limit = Math.min(this.#max, this.#limit + 1);
    }
    this.#wake(this.#limit - this.#running);
  }

  /** Releases every waiting worker, e.g. when the sweep stops. */
  wakeAll(): void {
    this.#wake(this.#waiters.length);
  }

  #observe(status: number, retryAfter: string | string[] | undefined, now: number): void {
    const waitMs = retryAfterMs(retryAfter);
    if (waitMs !== undefined) {
      this.#pause(Math.min(waitMs, RETRY_AFTER_CAP_MS), now);
      return;
    }
    if (status !== 429) return;
    this.#burst = this.#burst.filter((t) => now - t < BURST_WINDOW_MS);
    this.#burst.push(now);
    if (this.#burst.length >= BURST_COUNT) {
      this.#burst = [];
      this.#pause(BURST_PAUSE_MS, now);
    }
  }

  #pause(ms: number, now: number): void {
    if (ms <= 0) return;
    if (now >= this.#pausedUntil) {
      this.pauses++;
      this.#limit = Math.max(1, Math.floor(Math.min(this.#limit, this.#running + 1) / 2));
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + ms);
  }

  #wake(n: number): void {
    for (let i = 0; i < n && this.#waiters.length > 0; i++) this.#waiters.shift()?.();
  }
}
