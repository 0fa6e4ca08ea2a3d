import { sleep } from './timers.js';

/**
 * The slowest rate a sweep accepts: one request per 100 s. Slower rates have no use within a
 * Lambda's 15 minutes, and near zero the interval overflows timers and float arithmetic.
 */
export const MIN_RATE_PER_SECOND = 0.01;

/**
 * Spaces request starts evenly at `perSecond`, shared by every worker of a sweep: each caller
 * reserves the next free slot and waits for it. Unlimited when perSecond is undefined.
 */
export class RateLimiter {
  readonly #intervalMs: number;
  #nextSlot = 0;

  constructor(perSecond: number | undefined) {
    this.#intervalMs = perSecond ? 1000 / perSecond : 0;
  }

  /** Resolves when the caller may start a request; rejects if `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.#intervalMs === 0) return;
    const now = performance.now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + this.#intervalMs;
    if (slot > now) await sleep(slot - now, signal);
  }
}
