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

  /**
   * Reserves the caller's slot: undefined when it may start a request now, else a promise that
   * resolves at its slot and rejects if `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#intervalMs === 0) return undefined;
    const now = performance.now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + this.#intervalMs;
    return slot > now ? sleep(slot - now, signal) : undefined;
  }
}
