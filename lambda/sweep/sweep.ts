import { type SweepAggregate, summarize, Tally } from './aggregate.js';
import type { CheckFor } from './checks.js';
import { leasePool } from './dispatcher.js';
import {
  type Abortable,
  AbortReason,
  type AttemptChecks,
  type AttemptResult,
  attempt,
  requestShape,
} from './fetcher.js';
import { ErrorKind, type Outcome, RETRYABLE_ERRORS, RETRYABLE_STATUSES } from './outcome.js';
import { PhaseHistograms } from './phases.js';
import type { EngineDispatcher, EnginePool } from './pool.js';
import { type IdRange, rangeSize } from './range.js';
import { MIN_RATE_PER_SECOND, RateLimiter } from './rate-limit.js';
import { backoffMs, retryAfterMs } from './retry.js';
import { SWEEP_METHODS, type SweepMethod, urlTemplateParts } from './target.js';
import { Throttle } from './throttle.js';
import { onceAfter, sleep } from './timers.js';

/** What one sweep needs: the ids, the target, and how hard and how long to push. */
export interface SweepOptions {
  readonly range: IdRange;
  /**
   * Only these ids of the range, ascending (a confirmation pass); the others stay not attempted.
   * @default - every id of the range
   */
  readonly ids?: readonly number[];
  /** Contains "{id}"; comes from config, never from a caller. */
  readonly urlTemplate: string;
  /** GET unless told otherwise; fixed at deploy time, never chosen by a caller. */
  readonly method?: SweepMethod;
  /**
   * Request headers over the engine's defaults (user-agent, accept), e.g. an API key. Sent as
   * given, never logged nor echoed: error messages name a header, never its value.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Requests in flight at most; also the connection cap. */
  readonly concurrency: number;
  /** Per attempt: connect, headers and the whole body. */
  readonly timeoutMs: number;
  /** Extra attempts per id after the first. */
  readonly retries: number;
  /** Requests per second at most, retries included; unlimited when absent. */
  readonly ratePerSecond?: number;
  /** Epoch milliseconds: no new attempt near it, in-flight ones aborted at it. */
  readonly deadline?: number;
  /** Aborting it ends the sweep like the deadline does, but ids in flight stay not attempted. */
  readonly signal?: AbortSignal;
  /** A pool of the caller's (see newPool) instead of the process's one per origin. */
  readonly pool?: EnginePool;
  /**
   * Each id's rule checks (body, maxLatencyMs), built above the engine from expectation rules;
   * absent, every body is counted and dropped and a status is the outcome.
   */
  readonly checkFor?: CheckFor;
  /** Time connect, TLS, first byte and body, and read certificates. @default true */
  readonly phases?: boolean;
  /** Called as ids settle, at most every PROGRESS_INTERVAL_MS, and once at the end. */
  readonly onProgress?: (settled: number, total: number) => void;
  /** Called once per settled id with its final outcome (the local CLI's per-id file). */
  readonly onSettle?: (settled: SettledId) => void;
}

/** One id's end: its final outcome, that attempt's latency (if it got a status) and attempts. */
export interface SettledId {
  readonly id: number;
  readonly outcome: Outcome;
  readonly latencyMs: number | undefined;
  /** Attempts counted in `attempts` (a keep-alive re-send is not one). */
  readonly attempts: number;
}

export const PROGRESS_INTERVAL_MS = 250;
/** No attempt starts closer to the deadline than this (or than the typical latency, if longer). */
export const MIN_LAUNCH_GUARD_MS = 20;
/** Weight of the newest latency in the running estimate that sizes the launch guard. */
const LATENCY_EWMA_WEIGHT = 0.2;

/** Sweeps the range and returns its aggregate. Never throws for what the target does. */
export async function sweep(options: SweepOptions): Promise<SweepAggregate> {
  checkOptions(options);
  const { range, timeoutMs, retries } = options;
  const startedAt = Date.now();
  const clockStart = performance.now();
  const deadlineAt =
    options.deadline === undefined
      ? Number.POSITIVE_INFINITY
      : clockStart + (options.deadline - startedAt);

  const target = urlTemplateParts(options.urlTemplate);
  const lease = options.pool
    ? { pool: options.pool, release: () => undefined }
    : leasePool(target.origin, options.concurrency);
  const { pool } = lease;
  const shape = requestShape(options.method, options.headers);
  const limiter = new RateLimiter(options.ratePerSecond);
  const throttle = new Throttle(options.concurrency);
  const tally = new Tally(range, Object.values(options.headers ?? {}));
  const inflight = new Set<Abortable>();
  const stop = new AbortController();
  let typicalLatencyMs = 0;
  const timed = options.phases !== false;
  if (timed) tally.phases = new PhaseHistograms();
  for (const certificate of timed ? pool.certificates() : []) tally.phases?.certify(certificate);
  const unobserve = timed ? pool.observe((c) => tally.phases?.connection(c)) : undefined;

  const stopAll = () => {
    if (stop.signal.aborted) return;
    stop.abort(AbortReason.deadline);
    throttle.wakeAll();
    for (const running of inflight) running.abort(AbortReason.deadline);
  };
  const cancelDeadline = Number.isFinite(deadlineAt)
    ? onceAfter(deadlineAt - performance.now(), stopAll)
    : undefined;
  options.signal?.addEventListener('abort', stopAll, { once: true });
  if (options.signal?.aborted) stopAll();
  const progressTimer = options.onProgress
    ? setInterval(() => options.onProgress?.(tally.settled, tally.total), PROGRESS_INTERVAL_MS)
    : undefined;

  /** True when an attempt started now would likely be cut by the deadline. */
  const tooLateToLaunch = (extraWaitMs = 0) =>
    stop.signal.aborted ||
    performance.now() + extraWaitMs + Math.max(MIN_LAUNCH_GUARD_MS, typicalLatencyMs) >= deadlineAt;

  /** Sends one request for `path` once a rate slot is free; undefined if the sweep stopped. */
  const send = async (
    path: string,
    checks: AttemptChecks,
    dispatcher: EngineDispatcher = pool,
  ): Promise<AttemptResult | undefined> => {
    if (!(await throttle.admit(stop.signal, tooLateToLaunch))) return undefined;
    try {
      await limiter.acquire(stop.signal);
    } catch {
      throttle.done(undefined);
      return undefined; // the sweep stopped while waiting for a slot
    }
    if (tooLateToLaunch()) {
      throttle.done(undefined);
      return undefined;
    }
    tally.attempts++;
    const result = await attempt(dispatcher, shape, path, timeoutMs, inflight, checks);
    const { outcome } = result;
    throttle.done(outcome.kind === 'error' ? undefined : outcome.status, result.retryAfter);
    if (result.latencyMs !== undefined) {
      typicalLatencyMs += LATENCY_EWMA_WEIGHT * (result.latencyMs - typicalLatencyMs);
    }
    return result;
  };

  /** Runs every attempt of one id and settles it; leaves it unsettled if none could start. */
  const runId = async (id: number): Promise<void> => {
    const path = target.pathFor(id);
    const checks: AttemptChecks = { id, check: options.checkFor?.(id), phases: timed };
    let last: AttemptResult | undefined;
    let resent = false;
    let attempts = 0;
    for (let attemptNo = 1; ; attemptNo++) {
      let result = await send(path, checks);
      // The keep-alive race: once per id, sent again on a new connection (a pooled one could be
      // closing too), not counted as a retry. A failure there is the server's own doing.
      if (result?.resendable && !resent) {
        resent = true;
        tally.resends++;
        const fresh = pool.freshConnection();
        result = (await send(path, checks, fresh)) ?? result;
        void fresh.close().catch(() => undefined);
      }
      if (!result) break;
      // Stopped by the host (Ctrl-C), not by the deadline: the attempt never finished, so the id
      // keeps an earlier attempt's outcome or stays not attempted; it is not counted as aborted.
      if (options.signal?.aborted && isCutShort(result)) break;
      if (attemptNo > 1) tally.retries++;
      last = result;
      attempts = attemptNo;
      if (attemptNo > retries || !isRetryable(last)) break;
      const waitMs = retryAfterMs(last.retryAfter) ?? backoffMs(attemptNo);
      if (tooLateToLaunch(waitMs)) break;
      try {
        await sleep(waitMs, stop.signal);
      } catch {
        break;
      }
    }
    if (!last) return;
    tally.settle(id, last.outcome, last.latencyMs, last.message);
    if (last.phases) tally.phases?.request(last.phases.firstByteMs, last.phases.bodyMs);
    options.onSettle?.({ id, outcome: last.outcome, latencyMs: last.latencyMs, attempts });
  };

  let nextId = range.start;
  let nextIndex = 0;
  const listed = options.ids;
  const takeId = (): number | undefined =>
    listed ? listed[nextIndex++] : nextId <= range.end ? nextId++ : undefined;
  const worker = async (): Promise<void> => {
    while (!tooLateToLaunch()) {
      const id = takeId();
      if (id === undefined) return;
      await runId(id);
    }
  };

  try {
    const workers = Math.min(options.concurrency, listed?.length ?? rangeSize(range));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    cancelDeadline?.();
    unobserve?.();
    lease.release();
    clearInterval(progressTimer);
    options.signal?.removeEventListener('abort', stopAll);
  }
  tally.throttlePauses = throttle.pauses;
  options.onProgress?.(tally.settled, tally.total);
  return summarize(tally, { startedAt, endedAt: Date.now() });
}

function isCutShort({ outcome }: AttemptResult): boolean {
  return outcome.kind === 'error' && outcome.error === ErrorKind.aborted;
}

function isRetryable(result: AttemptResult): boolean {
  const { outcome } = result;
  if (outcome.kind === 'check') return false; // the rule accepted its status: an answer, not a fault
  return outcome.kind === 'status'
    ? RETRYABLE_STATUSES.has(outcome.status)
    : RETRYABLE_ERRORS.has(outcome.error);
}

/** Programmer errors: the handler validates callers' input long before this. */
function checkOptions(o: SweepOptions): void {
  const problems: string[] = [];
  const { start, end } = o.range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    problems.push(`range must be integers with 0 <= start <= end, got ${start}..${end}`);
  }
  if (!Number.isSafeInteger(o.concurrency) || o.concurrency < 1) {
    problems.push(`concurrency must be a positive integer, got ${o.concurrency}`);
  }
  if (!(o.timeoutMs > 0)) problems.push(`timeoutMs must be positive, got ${o.timeoutMs}`);
  if (!Number.isSafeInteger(o.retries) || o.retries < 0) {
    problems.push(`retries must be a non-negative integer, got ${o.retries}`);
  }
  if (o.ratePerSecond !== undefined && !(o.ratePerSecond >= MIN_RATE_PER_SECOND)) {
    problems.push(`ratePerSecond must be at least ${MIN_RATE_PER_SECOND}, got ${o.ratePerSecond}`);
  }
  if (o.ids?.some((id, i) => !(id >= start && id <= end && id > (o.ids?.[i - 1] ?? -1)))) {
    problems.push(`ids must ascend within the range ${start}..${end}`);
  }
  if (o.method !== undefined && !SWEEP_METHODS.includes(o.method)) {
    problems.push(`method must be one of ${SWEEP_METHODS.join(', ')}, got ${o.method}`);
  }
  for (const [name, value] of Object.entries(o.headers ?? {})) {
    if (typeof value !== 'string') problems.push(`header ${name} must be a string`);
  }
  if (problems.length > 0) throw new RangeError(problems.join('; '));
}
