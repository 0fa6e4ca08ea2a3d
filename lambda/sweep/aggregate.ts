import { type HistogramSnapshot, LatencyHistogram, type LatencySummary } from './histogram.js';
import {
  ERROR_KINDS,
  type ErrorKind,
  NOT_ATTEMPTED_CODE,
  type Outcome,
  outcomeCode,
  outcomeKey,
} from './outcome.js';
import { formatSpans, type IdRange, rangeSize, SpanBuilder, unionSpans } from './range.js';

/**
 * The verdict on a range: what the engine returns and what shards merge. Everything in it is
 * derived from the outcomes alone except the clock fields, which merge as min/max.
 */
export interface SweepAggregate {
  readonly range: IdRange;
  readonly total: number;
  /** False when the deadline came before every id had a final outcome. */
  readonly complete: boolean;
  /** Final HTTP status → number of ids, e.g. {"200": 97, "404": 3}. */
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
}

/**
 * Collects outcomes as they happen: one Uint16 per id and a histogram, nothing per request.
 * The only mutable state of a sweep; summarize() turns it into the aggregate.
 */
export class Tally {
  readonly range: IdRange;
  readonly #codes: Uint16Array;
  readonly latency = new LatencyHistogram();
  attempts = 0;
  retries = 0;
  resends = 0;
  throttlePauses = 0;
  #settled = 0;

  constructor(range: IdRange) {
    this.range = range;
    this.#codes = new Uint16Array(rangeSize(range));
  }

  get settled(): number {
    return this.#settled;
  }

  get total(): number {
    return this.#codes.length;
  }

  /** Records an id's final outcome; latencyMs is for outcomes with a status. */
  settle(id: number, outcome: Outcome, latencyMs?: number): void {
    const slot = id - this.range.start;
    if (this.#codes[slot] !== NOT_ATTEMPTED_CODE) throw new Error(`id ${id} settled twice`);
    this.#codes[slot] = outcomeCode(outcome);
    this.#settled++;
    if (outcome.kind === 'status' && latencyMs !== undefined) this.latency.record(latencyMs);
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
  const errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  const ids: Record<string, string> = {};
  for (const code of [...counts.keys()].sort((a, b) => a - b)) {
    const key = outcomeKey(code);
    const n = counts.get(code) ?? 0;
    if (code >= 100 && code < 1000) statuses[key] = n;
    else if (key in errors) errors[key as ErrorKind] = n;
    ids[key] = formatSpans((spans.get(code) as SpanBuilder).spans());
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
    startedAt: clock.startedAt,
    endedAt: clock.endedAt,
  };
}

/**
 * The aggregate of the union of two adjacent ranges, exactly as one sweep of the union would
 * report it (clock fields aside). Throws when the ranges are not adjacent.
 */
export function mergeAggregates(a: SweepAggregate, b: SweepAggregate): SweepAggregate {
  const [lo, hi] = a.range.start <= b.range.start ? [a, b] : [b, a];
  if (lo.range.end + 1 !== hi.range.start) {
    throw new RangeError(
      `only adjacent ranges merge: ${lo.range.start}-${lo.range.end} and ${hi.range.start}-${hi.range.end}`,
    );
  }
  const ids: Record<string, string> = { ...lo.ids };
  for (const [key, form] of Object.entries(hi.ids)) {
    ids[key] = ids[key] === undefined ? form : unionSpans(ids[key], form);
  }
  return {
    range: { start: lo.range.start, end: hi.range.end },
    total: lo.total + hi.total,
    complete: lo.complete && hi.complete,
    statuses: sortedKeys(addCounts(lo.statuses, hi.statuses)),
    errors: addCounts(lo.errors, hi.errors) as Record<ErrorKind, number>,
    notAttempted: lo.notAttempted + hi.notAttempted,
    ids: sortedKeys(ids),
    latency: LatencyHistogram.fromJSON(lo.latency).merge(hi.latency).toJSON(),
    attempts: lo.attempts + hi.attempts,
    retries: lo.retries + hi.retries,
    resends: lo.resends + hi.resends,
    throttlePauses: lo.throttlePauses + hi.throttlePauses,
    startedAt: Math.min(lo.startedAt, hi.startedAt),
    endedAt: Math.max(lo.endedAt, hi.endedAt),
  };
}

/** min, mean, p50…p99, max of an aggregate's latencies, or null when nothing answered. */
export function latencySummary(aggregate: SweepAggregate): LatencySummary | null {
  return LatencyHistogram.fromJSON(aggregate.latency).summary();
}

function addCounts(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [key, n] of Object.entries(b)) out[key] = (out[key] ?? 0) + n;
  return out;
}

/** Numeric keys first in ascending order (JS does this for integer keys), then names sorted. */
function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  );
}
