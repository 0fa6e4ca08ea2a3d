/**
 * A mergeable latency histogram with a relative error bound: DDSketch's logarithmic mapping
 * (Masson, Rim, Lee, VLDB 2019). Every value v > 0 lands in bucket ceil(log_γ v) with
 * γ = (1 + α) / (1 − α); the bucket's representative value is within α of every value in it, so
 * each reported quantile is within α (relative) of the true one. Merging adds bucket counts, which
 * is exact and order-independent.
 *
 * Written here rather than taken from a package: @datadog/sketches-js requires protobufjs without
 * declaring it (the bundle breaks) and has no JSON form; hdr-histogram-js ships WASM and pako.
 * Both would cost the cold start more than these lines.
 */

/** α: every quantile is within 0.5% of the exact value (the issue asks for ≤ 1%). */
export const RELATIVE_ACCURACY = 0.005;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Latencies are kept to the microsecond; anything below one lands in the zero bucket. */
const MICROS_PER_MS = 1000;
const MIN_TRACKED_MS = 1 / MICROS_PER_MS;

/** The JSON form: what crosses process boundaries (shards, Step Functions) and merges exactly. */
export interface HistogramSnapshot {
  readonly relativeAccuracy: number;
  readonly count: number;
  /** Sum in whole microseconds, so that sums merge without floating-point drift. */
  readonly sumMicros: number;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  readonly zeroCount: number;
  /** [bucket key, count] pairs in ascending key order. */
  readonly buckets: ReadonlyArray<readonly [key: number, count: number]>;
}

export interface LatencySummary {
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** One bucket as a value and how many latencies it holds: the shape CloudWatch's Values/Counts take. */
export interface WeightedValue {
  readonly value: number;
  readonly count: number;
}

export class LatencyHistogram {
  readonly #counts = new Map<number, number>();
  #zeroCount = 0;
  #count = 0;
  #sumMicros = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  /** Records one latency in milliseconds, rounded to the microsecond. */
  record(ms: number): void {
    const micros = Math.max(0, Math.round(ms * MICROS_PER_MS));
    const value = micros / MICROS_PER_MS;
    this.#count++;
    this.#sumMicros += micros;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (value < MIN_TRACKED_MS) {
      this.#zeroCount++;
      return;
    }
    const key = bucketKey(value);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Adds another histogram's contents to this one. */
  merge(other: LatencyHistogram | HistogramSnapshot): this {
    const snap = other instanceof LatencyHistogram ? other.toJSON() : other;
    if (snap.relativeAccuracy !== RELATIVE_ACCURACY) {
      throw new RangeError(
        `cannot merge a histogram of relative accuracy ${snap.relativeAccuracy} into one of ${RELATIVE_ACCURACY}`,
      );
    }
    if (snap.count === 0) return this;
    this.#count += snap.count;
    this.#sumMicros += snap.sumMicros;
    this.#zeroCount += snap.zeroCount;
    this.#min = Math.min(this.#min, snap.minMs ?? Number.POSITIVE_INFINITY);
    this.#max = Math.max(this.#max, snap.maxMs ?? Number.NEGATIVE_INFINITY);
    for (const [key, n] of snap.buckets) this.#counts.set(key, (this.#counts.get(key) ?? 0) + n);
    return this;
  }

  /** The value at quantile q in [0, 1], within RELATIVE_ACCURACY of the exact one. */
  quantile(q: number): number {
    if (this.#count === 0) return Number.NaN;
    const rank = q * (this.#count - 1);
    let seen = this.#zeroCount;
    if (rank < seen) return this.#min;
    for (const [key, n] of this.#sortedBuckets()) {
      seen += n;
      if (rank < seen) return clamp(bucketValue(key), this.#min, this.#max);
    }
    return this.#max;
  }

  /** min, mean, p50…p99, max in milliseconds, rounded to 0.01 ms; null when empty. */
  summary(): LatencySummary | null {
    if (this.#count === 0) return null;
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      min: round(this.#min),
      mean: round(this.#sumMicros / MICROS_PER_MS / this.#count),
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p95: round(this.quantile(0.95)),
      p99: round(this.quantile(0.99)),
      max: round(this.#max),
    };
  }

  /** Each non-empty bucket as its representative value (ms) and count, ascending. */
  weightedValues(): WeightedValue[] {
    const out: WeightedValue[] = [];
    if (this.#zeroCount > 0) out.push({ value: 0, count: this.#zeroCount });
    for (const [key, count] of this.#sortedBuckets()) {
      out.push({ value: clamp(bucketValue(key), this.#min, this.#max), count });
    }
    return out;
  }

  toJSON(): HistogramSnapshot {
    const empty = this.#count === 0;
    return {
      relativeAccuracy: RELATIVE_ACCURACY,
      count: this.#count,
      sumMicros: this.#sumMicros,
      minMs: empty ? null : this.#min,
      maxMs: empty ? null : this.#max,
      zeroCount: this.#zeroCount,
      buckets: this.#sortedBuckets(),
    };
  }

  static fromJSON(snapshot: HistogramSnapshot): LatencyHistogram {
    return new LatencyHistogram().merge(snapshot);
  }

  #sortedBuckets(): Array<[number, number]> {
    return [...this.#counts].sort((a, b) => a[0] - b[0]);
  }
}

function bucketKey(ms: number): number {
  return Math.ceil(Math.log(ms) / LOG_GAMMA);
}

/** The value with the same relative distance α to both bounds of bucket `key`. */
function bucketValue(key: number): number {
  return (2 * GAMMA ** key) / (GAMMA + 1);
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
