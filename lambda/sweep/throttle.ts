import { Pacer } from './pacer.js';
import { RETRY_AFTER_CAP_MS, retryAfterMs } from './retry.js';
import { sleep } from './timers.js';

/**
 * Without a Retry-After, this many 429s within BURST_WINDOW_MS mean a rate limit (nginx's
 * limit_req sends none): every launch pauses for BURST_PAUSE_MS.
 */
export const BURST_COUNT = 10;
export const BURST_WINDOW_MS = 1_000;
export const BURST_PAUSE_MS = 1_000;
/**
 * The rate held is this share of what the origin admitted: a little under its limit, so that a
 * token bucket refills and the next refusal is rare.
 */
export const HOLD_SHARE = 0.9;
/**
 * Each admitted answer raises the held rate by this many requests per second. Answers arrive at
 * the rate, so it grows by a tenth per second whatever its size: it finds a limit that rose, and
 * the next refusal measures the origin again.
 */
export const PROBE_STEP = 0.1;
/**
 * After the origin admitted nothing for a second, requests resume at half the rate held, never
 * below this one (then double about every 0.7 s while answers are admitted, as TCP's slow start
 * does): an origin that refuses everything gets a trickle, not every worker after each pause.
 */
export const RESTART_RATE = 10;
/** Slow start: each admitted answer raises the rate by one, doubling it once per second's answers. */
const SLOW_START_STEP = 1;
/** Refusals this far apart belong to separate episodes, each measured on its own. */
const EPISODE_GAP_MS = 1_000;
/** An episode's admitted rate is trusted once this many answers or this much time measured it. */
const MIN_SAMPLE_ANSWERS = 5;
const MIN_SAMPLE_MS = 100;
/**
 * Nor before this many refusals: one refusal may answer a request sent before the origin
 * recovered, and would measure no more than the rate the sweep itself was sending at.
 */
const MIN_SAMPLE_REFUSALS = 3;
/** The slowest rate held: one request per second still learns when the origin recovers. */
const MIN_HELD_RATE = 1;

/**
 * One origin's "slow down", shared by every worker of a sweep. The first refusal (a 429, or a
 * 503 with Retry-After) that carries a Retry-After, or the first burst of 429s, pauses every new
 * request to the origin. From then on the throttle measures what the origin admits while it
 * refuses (answers admitted since the episode's first refusal, over the time since: a token
 * bucket's refill rate once its burst is spent) and spaces request starts at HOLD_SHARE of it
 * (pacer.ts), probing upwards as answers come. Only when the origin admits nothing for a second
 * does it pause again, and resume at half the rate (RESTART_RATE at least) in slow start. The
 * requests in flight are never cut: the rate, not the concurrency, is what a rate limit counts.
 * The caller's `tooLate` bounds every wait by the deadline. Clock: performance.now() ms.
 */
export class Throttle {
  readonly #max: number;
  #running = 0;
  #waiters: (() => void)[] = [];
  #pausedUntil = 0;
  #burst: number[] = [];
  /** Spaces starts at the rate held; undefined until the origin refused. */
  readonly #pacer = new Pacer();
  #lastAdmitted = Number.NEGATIVE_INFINITY;
  /** What each admitted answer adds to the rate: slow start until the origin is measured. */
  #step = PROBE_STEP;
  #episode = { start: 0, last: Number.NEGATIVE_INFINITY, admitted: 0, refused: 0 };
  readonly #createdAt = performance.now();
  /** Answers admitted before the first refusal: the only figure there is at the first pause. */
  #admittedBefore = 0;
  /** Pauses begun (a pause extended while it runs is the same pause). */
  pauses = 0;

  constructor(concurrency: number) {
    this.#max = concurrency;
  }

  /** The rate held, in requests per second; undefined while the origin never refused. */
  get ratePerSecond(): number | undefined {
    return this.#pacer.rate;
  }

  /**
   * Resolves true when a request may start (then call done() once it ends), false when the
   * sweep stopped or a wait would outlast the deadline.
   */
  async admit(signal: AbortSignal, tooLate: (waitMs: number) => boolean): Promise<boolean> {
    while (!signal.aborted) {
      const now = performance.now();
      const pause = this.#pausedUntil - now;
      if (pause > 0) {
        if (tooLate(pause)) {
          // The pause outlasts the deadline for every worker alike: release the waiting ones to
          // stop too, rather than sleep until the deadline wakes them.
          this.wakeAll();
          return false;
        }
        await sleep(pause, signal).catch(() => undefined);
      } else if (this.#running >= this.#max) {
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      } else {
        const waitMs = this.#pacer.waitMs(now);
        if (waitMs > 0 && tooLate(waitMs)) return false;
        this.#running++;
        const started = await this.#pacer.take();
        if (!started || signal.aborted || this.#pausedUntil > performance.now()) {
          this.done(undefined); // stopped, or a pause began while waiting for the start
          continue;
        }
        return true;
      }
    }
    return false;
  }

  /** An admitted request ended with `status` (undefined: no status) and its Retry-After. */
  done(status: number | undefined, retryAfter?: string | string[]): void {
    this.#running--;
    const now = performance.now();
    // Answers to requests sent before a pause say nothing of the origin after it.
    if (status !== undefined && now >= this.#pausedUntil) {
      const waitMs = retryAfterMs(retryAfter);
      if (status === 429 || (status === 503 && waitMs !== undefined)) {
        this.#refused(status, waitMs, now);
      } else {
        this.#episode.admitted++;
        this.#lastAdmitted = now;
        if (this.#pacer.rate !== undefined) this.#pacer.rate = this.#pacer.rate + this.#step;
        else if (this.pauses === 0) this.#admittedBefore++;
      }
    }
    this.#wake(this.#max - this.#running);
  }

  /** Releases every waiting worker, e.g. when the sweep stops. */
  wakeAll(): void {
    this.#pacer.release();
    this.#wake(this.#waiters.length);
  }

  #refused(status: number, waitMs: number | undefined, now: number): void {
    const episode = this.#episode;
    if (now - episode.last > EPISODE_GAP_MS) {
      Object.assign(episode, { start: now, admitted: 0, refused: 0 });
    }
    episode.last = now;
    episode.refused++;
    if (now - this.#lastAdmitted > EPISODE_GAP_MS && episode.refused >= BURST_COUNT) {
      // The origin admits nothing at all: pause, and resume at half the rate (a trickle at least).
      this.#pacer.rate = Math.max(RESTART_RATE, (this.#pacer.rate ?? 0) / 2);
      this.#step = SLOW_START_STEP;
      this.#pause(waitMs ?? BURST_PAUSE_MS, now);
      return;
    }
    const elapsed = now - episode.start;
    const sampled = episode.admitted >= MIN_SAMPLE_ANSWERS || elapsed >= MIN_SAMPLE_MS;
    if (sampled && episode.admitted > 0 && episode.refused >= MIN_SAMPLE_REFUSALS) {
      const admitted = (episode.admitted / Math.max(elapsed, 1)) * 1000;
      this.#pacer.rate = Math.max(MIN_HELD_RATE, HOLD_SHARE * admitted);
      this.#step = PROBE_STEP;
    }
    if (this.pauses > 0) return; // measured and held from here on
    if (waitMs !== undefined) {
      this.#pause(waitMs, now);
    } else if (status === 429) {
      this.#burst = this.#burst.filter((t) => now - t < BURST_WINDOW_MS);
      this.#burst.push(now);
      if (this.#burst.length >= BURST_COUNT) this.#pause(BURST_PAUSE_MS, now);
    }
  }

  #pause(ms: number, now: number): void {
    const capped = Math.min(ms, RETRY_AFTER_CAP_MS);
    if (capped <= 0) return;
    if (now >= this.#pausedUntil) this.pauses++;
    if (this.#pacer.rate === undefined) {
      // Not measured yet: resume at what the origin admitted before it refused (its burst
      // included, so an overestimate), or at a trickle if it admitted nothing, rather than with
      // every worker at once; the refusals after the pause measure it.
      const admitted = (this.#admittedBefore / Math.max(now - this.#createdAt, 1)) * 1000;
      this.#pacer.rate =
        admitted > 0 ? Math.max(MIN_HELD_RATE, HOLD_SHARE * admitted) : RESTART_RATE;
      this.#step = SLOW_START_STEP;
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + capped);
    // Admitting nothing is judged from when requests resume, not across the pause.
    this.#lastAdmitted = Math.max(this.#lastAdmitted, this.#pausedUntil);
    this.#episode.last = Number.NEGATIVE_INFINITY; // a new episode once the pause ends
    this.#burst = [];
  }

  #wake(n: number): void {
    for (let i = 0; i < n && this.#waiters.length > 0; i++) this.#waiters.shift()?.();
  }
}
