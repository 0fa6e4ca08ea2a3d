import { setTimeout as sleep } from 'node:timers/promises';

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
    if (slot > now) await sleep(slot - now, undefined, { signal });
  }
}
