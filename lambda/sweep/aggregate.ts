import { type CheckFields, checkFields } from './check-fields.js';
import { ErrorSampler, type ErrorSamples } from './error-samples.js';
import { type HistogramSnapshot, LatencyHistogram, type LatencySummary } from './histogram.js';
import {
  type CheckKind,
  ERROR_KINDS,
  type ErrorKind,
  NOT_ATTEMPTED_CODE,
  type Outcome,
  outcomeCode,
  outcomeKey,
} from './outcome.js';
import type { PhaseHistograms } from './phases.js';
import { formatSpans, type IdRange, rangeSize, SpanBuilder } from './range.js';

/**
 * The verdict on a range: what the engine returns and what shards merge. Everything in it is
 * derived from the outcomes alone except the clock fields, which merge as min/max.
 */
export interface SweepAggregate extends CheckFields {
  readonly range: IdRange;
  readonly total: number;
  /** False when the deadline came before every id had a final outcome. */
  readonly complete: boolean;
  /**
   * Final HTTP status → number of ids, e.g. {"200": 97, "404": 3}; ids whose outcome is a failed
   * check (`content`, `slow`) are counted under the status they got.
   */
  readonly statuses: Readonly<Record<string, number>>;
  /** Every error kind, zero included. */
  readonly errors: Readonly<Record<ErrorKind, number>>;
  readonly notAttempted: number;
  /** Outcome key ("200", "timeout", "notAttempted") → its ids in compact form ("1-97,99"). */
  readonly ids: Readonly<Record<string, string>>;
  /** Latency of each id that ended with an HTTP status, final attempt. */
  readonly latency: HistogramSnapshot;
  /** HTTP requests sent: first attempts, retries and re-sends. */
  readonly attempts: number;
  readonly retries: number;
  /**
   * Requests re-sent once, uncounted as retries, because they failed on a kept-alive connection
   * the server had just closed, before any byte of response (the keep-alive race).
   */
  readonly resends: number;
  /** Times a 429/503 from the origin paused every new request (see throttle.ts). */
  readonly throttlePauses: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number;
  /**
   * Error kind → up to MAX_SAMPLES_PER_KIND distinct messages of the failures that ended ids.
   * Absent only in aggregates written before it existed.
   */
  readonly errorSamples?: ErrorSamples;
  /** Distributed sweeps only: the shards that never reported (their ids are not attempted). */
  readonly failedShards?: readonly FailedShard[];
  /** Set above the engine by a confirmation pass (verdict/flaky.ts); absent when it is off. */
  readonly confirm?: ConfirmSummary;
}

/** The confirmation pass of a sweep (or the sum of its shards'). */
export interface ConfirmSummary {
  /** Unexpected ids requested once more. */
  readonly requested: number;
  /** Of those, the ids that missed their expectation again: they stay unexpected. */
  readonly confirmed: number;
  /** The ids that met it the second time, compact ("" when none): expected, and flaky. */
  readonly flakyIds: string;
  /** Why some unexpected ids were not requested again or not answered (confirmMax, deadline). */
  readonly skipped?: string;
}

/** A part of a range whose sweep failed for good: its ids are counted as not attempted. */
export interface FailedShard {
  readonly range: IdRange;
  readonly ids: number;
}

/**
 * Collects outcomes as they happen: one Uint16 per id and a histogram, nothing per request.
 * The only mutable state of a sweep; summarize() turns it into the aggregate.
 */
export class Tally {
  readonly range: IdRange;
  readonly #codes: Uint16Array;
  readonly latency = new LatencyHistogram();
  readonly errorSamples: ErrorSampler;
  readonly checkSamples: ErrorSampler<CheckKind>;
  /** Set by a sweep that times its phases. */
  phases: PhaseHistograms | undefined;
  /** Statuses of ids whose outcome is a failed check: `statuses` still counts them. */
  readonly #checkedStatuses = new Map<number, number>();
  attempts = 0;
  retries = 0;
  resends = 0;
  throttlePauses = 0;
  #settled = 0;

  /** `secrets`: the sweep's header values, kept out of the error samples. */
  constructor(range: IdRange, secrets: readonly string[] = []) {
    this.range = range;
    this.#codes = new Uint16Array(rangeSize(range));
    this.errorSamples = new ErrorSampler(secrets);
    this.checkSamples = new ErrorSampler<CheckKind>(secrets);
  }

  /** Status → ids whose outcome is a failed check with that status. */
  get checkedStatuses(): ReadonlyMap<number, number> {
    return this.#checkedStatuses;
  }

  get settled(): number {
    return this.#settled;
  }

  get total(): number {
    return this.#codes.length;
  }

  /** Records an id's final outcome; latencyMs is for a status, message for an error or check. */
  settle(id: number, outcome: Outcome, latencyMs?: number, message?: string): void {
    const slot = id - this.range.start;
    if (this.#codes[slot] !== NOT_ATTEMPTED_CODE) throw new Error(`id ${id} settled twice`);
    this.#codes[slot] = outcomeCode(outcome);
    this.#settled++;
    if (outcome.kind !== 'error' && latencyMs !== undefined) this.latency.record(latencyMs);
    if (outcome.kind === 'error' && message !== undefined) {
      this.errorSamples.record(outcome.error, message);
    }
    if (outcome.kind === 'check') {
      const n = this.#checkedStatuses.get(outcome.status) ?? 0;
      this.#checkedStatuses.set(outcome.status, n + 1);
      if (message !== undefined) this.checkSamples.record(outcome.check, message);
    }
  }

  /** [code, first id, last id] for each run of equal outcomes, ascending. */
  *runs(): Generator<[code: number, first: number, last: number]> {
    const codes = this.#codes;
    const start = this.range.start;
    let runStart = 0;
    for (let i = 1; i <= codes.length; i++) {
      if (i === codes.length || codes[i] !== codes[runStart]) {
        yield [codes[runStart] ?? NOT_ATTEMPTED_CODE, start + runStart, start + i - 1];
        runStart = i;
      }
    }
  }
}

export interface SweepClock {
  readonly startedAt: number;
  readonly endedAt: number;
}

/** Pure: the aggregate of a tally. */
export function summarize(tally: Tally, clock: SweepClock): SweepAggregate {
  const counts = new Map<number, number>();
  const spans = new Map<number, SpanBuilder>();
  for (const [code, first, last] of tally.runs()) {
    counts.set(code, (counts.get(code) ?? 0) + last - first + 1);
    const builder = spans.get(code) ?? new SpanBuilder();
    spans.set(code, builder);
    builder.add(first, last);
  }
  const statuses: Record<string, number> = {};
  for (const [status, n] of tally.checkedStatuses)
    counts.set(status, (counts.get(status) ?? 0) + n);
  const errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  const ids: Record<string, string> = {};
  for (const code of [...counts.keys()].sort((a, b) => a - b)) {
    const key = outcomeKey(code);
    const n = counts.get(code) ?? 0;
    if (code >= 100 && code < 1000) statuses[key] = n;
    else if (key in errors) errors[key as ErrorKind] = n;
    const builder = spans.get(code);
    if (builder) ids[key] = formatSpans(builder.spans());
  }
  const notAttempted = counts.get(NOT_ATTEMPTED_CODE) ?? 0;
  return {
    range: tally.range,
    total: rangeSize(tally.range),
    complete: notAttempted === 0 && errors.aborted === 0,
    statuses,
    errors,
    notAttempted,
    ids: sortedKeys(ids),
    latency: tally.latency.toJSON(),
    attempts: tally.attempts,
    retries: tally.retries,
    resends: tally.resends,
    throttlePauses: tally.throttlePauses,
    errorSamples: tally.errorSamples.toJSON(),
    ...checkFields(tally),
    startedAt: clock.startedAt,
    endedAt: clock.endedAt,
  };
}

/** min, mean, p50…p99, max of an aggregate's latencies, or null when nothing answered. */
export function latencySummary(aggregate: SweepAggregate): LatencySummary | null {
  return LatencyHistogram.fromJSON(aggregate.latency).summary();
}

/** Numeric keys first in ascending order (JS does this for integer keys), then names sorted. */
export function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  );
}
