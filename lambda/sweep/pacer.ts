/**
 * Spaces request starts at a rate that may change at any moment: callers that must wait queue
 * up, and one timer releases them one interval apart, each interval taken from the rate of the
 * moment. A rate that rises (or falls) applies to every waiting caller at once, which slots
 * reserved in advance at the old rate would not. Unlimited while the rate is undefined.
 * Clock: performance.now() ms.
 */
export class Pacer {
  #rate: number | undefined;
  #queue: ((started: boolean) => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastStart = Number.NEGATIVE_INFINITY;

  /** Requests per second; undefined: no spacing. */
  get rate(): number | undefined {
    return this.#rate;
  }

  set rate(perSecond: number | undefined) {
    this.#rate = perSecond;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule();
  }

  /** How long a caller arriving now would wait for its start, for a deadline to judge. */
  waitMs(now: number): number {
    if (this.#rate === undefined) return 0;
    const interval = 1000 / this.#rate;
    return Math.max(0, this.#lastStart + interval - now) + this.#queue.length * interval;
  }

  /** Resolves true at the caller's start, false if release() let it go first. */
  take(): Promise<boolean> {
    const now = performance.now();
    if (this.#queue.length === 0 && this.waitMs(now) === 0) {
      this.#lastStart = now;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      this.#schedule();
    });
  }

  /** Lets every waiting caller go without a start (the sweep stopped). */
  release(): void {
    const queue = this.#queue;
    this.#queue = [];
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const resolve of queue) resolve(false);
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    const interval = this.#rate === undefined ? 0 : 1000 / this.#rate;
    const delay = Math.max(0, this.#lastStart + interval - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#lastStart = performance.now();
      this.#queue.shift()?.(true);
      this.#schedule();
    }, delay);
  }
}
