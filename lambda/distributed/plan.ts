import { MAX_SHARDS } from '../ground/defaults.js';
import { InvalidRequestError } from '../ground/errors.js';
import { type IdRange, MIN_RATE_PER_SECOND, rangeSize } from '../sweep/data.js';
import { STATES_MAX_PAYLOAD_BYTES } from './limits.js';

/**
 * The latency a plan assumes when it sizes shards: PokéAPI's, the original target, measured at
 * about 0.4 s per request. A slower target leaves ids not attempted (loudly), never a hung shard.
 */
export const ASSUMED_LATENCY_MS = 400;
/**
 * Room in a shard's aggregate for everything but its `ids` (counts, clock, the latency
 * histogram: about 1,000 buckets at most for 1 ms-30 s at 0.5 %), so that the rest is bounded
 * by the ids alone.
 */
export const AGGREGATE_OVERHEAD_BYTES = 32_768;

/** What a plan is made from: the request's options, and what one shard invocation has. */
export interface PlanInput {
  readonly range: IdRange;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Requests per second for the whole run; unlimited when absent. */
  readonly ratePerSecond?: number;
  /** The latency to plan for (ASSUMED_LATENCY_MS in the deployed function). */
  readonly latencyMs: number;
  /** How long one shard invocation may run: the sweep function's timeout. */
  readonly invocationMs: number;
  /** Kept back from each invocation to publish and respond (RESPONSE_MARGIN_MS). */
  readonly responseMarginMs: number;
  /** The largest shard allowed (SHARD_SIZE). */
  readonly maxShardSize: number;
  /** Shards running at once at most (the Distributed Map's MaxConcurrency). */
  readonly shardMaxConcurrency: number;
}

/** How a range is cut into shards, and how long that should take. */
export interface RunPlan {
  readonly shardSize: number;
  readonly shards: number;
  /** Shards running at once: min(shards, map concurrency). */
  readonly atOnce: number;
  /** Each shard's share of the run's rate, so that the target sees the rate asked for. */
  readonly shardRatePerSecond?: number;
  /** A shard's time to sweep its ids; the plan keeps it within `fillMs`. */
  readonly shardMs: number;
  /** What a shard may use: the invocation less the response margin and one attempt's timeout. */
  readonly fillMs: number;
  /** The run's expected duration at the planned latency: waves of shards. */
  readonly runMs: number;
}

/**
 * The fewest, largest shards that each finish within their invocation at the given latency: a
 * shard's ids take ceil(size / concurrency) rounds of the latency, or size / its rate, whichever
 * is longer, and must end one attempt's timeout before the invocation's usable time ends (the
 * last attempt may take that long). Shards also stay under STATES_MAX_PAYLOAD_BYTES and
 * MAX_SHARDS. Throws InvalidRequestError, with the arithmetic, when no plan fits.
 */
export function planRun(input: PlanInput): RunPlan {
  const ids = rangeSize(input.range);
  const fillMs = input.invocationMs - input.responseMarginMs - input.timeoutMs;
  const rounds = Math.floor(fillMs / input.latencyMs);
  const largest = Math.min(
    input.maxShardSize,
    maxIdsInPayload(input.range),
    rounds * input.concurrency,
  );
  if (largest < 1) {
    throw new InvalidRequestError(
      `a shard has ${seconds(input.invocationMs - input.responseMarginMs)} of which one attempt's timeout (${seconds(input.timeoutMs)}) leaves no time for one request of ${seconds(input.latencyMs)}`,
      { timeoutMs: ['leaves no time in a shard'] },
    );
  }
  for (let shards = Math.ceil(ids / largest); shards <= MAX_SHARDS; shards++) {
    const plan = layout(input, ids, Math.ceil(ids / shards), fillMs);
    if (plan.shardMs <= fillMs) return withinRateFloor(plan);
  }
  throw tooLong(input, ids, largest, fillMs);
}

/** The run's duration at `latencyMs` (the one measured, rather than the one planned for). */
export function predictRunMs(plan: RunPlan, concurrency: number, latencyMs: number): number {
  const shardMs = shardTime(plan.shardSize, concurrency, latencyMs, plan.shardRatePerSecond);
  return Math.ceil(plan.shards / plan.atOnce) * shardMs;
}

function layout(input: PlanInput, ids: number, shardSize: number, fillMs: number): RunPlan {
  const shards = Math.ceil(ids / shardSize);
  const atOnce = Math.min(shards, input.shardMaxConcurrency);
  const rate = input.ratePerSecond === undefined ? undefined : input.ratePerSecond / atOnce;
  const plan = {
    shardSize,
    shards,
    atOnce,
    ...(rate !== undefined && { shardRatePerSecond: rate }),
    shardMs: shardTime(shardSize, input.concurrency, input.latencyMs, rate),
    fillMs,
  };
  return { ...plan, runMs: Math.ceil(shards / atOnce) * plan.shardMs };
}

function shardTime(ids: number, concurrency: number, latencyMs: number, rate?: number): number {
  const rounds = Math.ceil(ids / concurrency) * latencyMs;
  return rate === undefined ? rounds : Math.max(rounds, (1000 * ids) / rate);
}

/** Ids whose aggregate fits a child execution's output even if every id is its own span. */
function maxIdsInPayload(range: IdRange): number {
  const bytesPerId = String(range.end).length + 1; // "123456," in the compact form
  return Math.floor((STATES_MAX_PAYLOAD_BYTES - AGGREGATE_OVERHEAD_BYTES) / bytesPerId);
}

/** Each shard's share of the rate must meet the engine's floor, or every shard would fail. */
function withinRateFloor(plan: RunPlan): RunPlan {
  const rate = plan.shardRatePerSecond;
  if (rate === undefined || rate >= MIN_RATE_PER_SECOND) return plan;
  const least = Math.round(MIN_RATE_PER_SECOND * plan.atOnce * 1e6) / 1e6;
  const problem = `must be at least ${least} for a run of ${plan.atOnce} shards at once (${MIN_RATE_PER_SECOND} each), got ${rate * plan.atOnce}`;
  throw new InvalidRequestError(`invalid request: ratePerSecond ${problem}`, {
    ratePerSecond: [problem],
  });
}

/** The request cannot finish: say by how much, in its own numbers. */
function tooLong(input: PlanInput, ids: number, largest: number, fillMs: number): Error {
  const atOnce = Math.min(MAX_SHARDS, input.shardMaxConcurrency);
  const perShard =
    input.ratePerSecond === undefined
      ? largest
      : Math.min(largest, Math.floor((input.ratePerSecond / atOnce) * (fillMs / 1000)));
  const longestMs = Math.ceil(MAX_SHARDS / atOnce) * fillMs;
  const pace =
    input.ratePerSecond === undefined
      ? `concurrency ${input.concurrency} at ${seconds(input.latencyMs)} per request`
      : `${input.ratePerSecond} requests per second`;
  return new InvalidRequestError(
    `${ids} ids cannot finish at ${pace}: a run has at most ${MAX_SHARDS} shards, ${atOnce} at once, each sweeping within ${seconds(fillMs)}, so at most ${MAX_SHARDS * perShard} ids (${perShard} per shard) in a run of at most ${seconds(longestMs)}`,
    {
      end: [`at most ${MAX_SHARDS * perShard} ids at this pace`],
      ...(input.ratePerSecond !== undefined && { ratePerSecond: ['too low for this range'] }),
    },
  );
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
