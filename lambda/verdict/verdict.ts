import type { VerdictThresholds } from '../ground/thresholds.js';
import { latencySummary, type SweepAggregate } from '../sweep/data.js';
import type { Expectations } from './expectations.js';
import { countExpectations, type ExpectationCount, type Reason } from './match.js';

/** What a sweep amounts to, in one word. */
export const Verdict = {
  /** Every attempted id met its expectation, every id was attempted, latency within bound. */
  ok: 'ok',
  /** Worth a look: some ids unexpected (above the failed threshold), incomplete, or slow. */
  degraded: 'degraded',
  /** Fewer ids met their expectation than the threshold, or nothing was attempted. */
  failed: 'failed',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** A sweep's verdict and the counts behind it: part of the response contract. */
export interface SweepVerdict extends Omit<ExpectationCount, 'statusSamples'> {
  readonly verdict: Verdict;
  /** Why it is not ok, one short sentence per rule broken; empty when ok. */
  readonly verdictReasons: readonly string[];
  /**
   * Reason → a few lines saying what failed: `id 1026: 404, expected 2xx`, `id 25: /id is 26,
   * expected 25`, `id 7: 2,314 ms > 2,000 ms`; errors are in the aggregate's errorSamples.
   */
  readonly unexpectedSamples: UnexpectedSamples;
}

/** Reason → up to three lines, reasons without unexpected ids absent. */
export type UnexpectedSamples = Readonly<Partial<Record<Reason, readonly string[]>>>;

/**
 * Pure: the verdict on an aggregate. With attempted = total − notAttempted and rate = 100 ×
 * expected / attempted:
 * - failed when nothing was attempted, or rate < failedBelowPercent;
 * - degraded when rate < 100, when the sweep is incomplete (ids not attempted, which includes the
 *   ids of a distributed run's failed shards, or ids aborted at the deadline), or when the p95
 *   latency is above maxP95Ms;
 * - ok otherwise.
 */
export function judge(
  aggregate: SweepAggregate,
  expectations: Expectations,
  thresholds: VerdictThresholds,
): SweepVerdict {
  const { statusSamples, ...count } = countExpectations(aggregate.ids, expectations);
  const unexpectedSamples: UnexpectedSamples = {
    ...(statusSamples.length > 0 && { status: statusSamples }),
    ...aggregate.checkSamples,
  };
  const attempted = aggregate.total - aggregate.notAttempted;
  if (attempted === 0) {
    const verdictReasons = ['no id was attempted'];
    return { verdict: Verdict.failed, verdictReasons, unexpectedSamples, ...count };
  }
  const rate = (100 * count.expected) / attempted;
  const reasons: string[] = [];
  if (count.unexpected > 0) {
    reasons.push(
      `${count.unexpected} of ${attempted} attempted ids did not meet their expectation (${round(rate)} % met)`,
    );
  }
  const { content, slow } = count.unexpectedReasons;
  if (content > 0) reasons.push(`${ids(content)} failed their rule's body checks`);
  if (slow > 0) reasons.push(`${ids(slow)} answered slower than their rule's maxLatencyMs`);
  if (aggregate.notAttempted > 0) reasons.push(`${aggregate.notAttempted} ids were not attempted`);
  const failedShards = aggregate.failedShards?.length ?? 0;
  if (failedShards > 0) {
    const shards = failedShards === 1 ? '1 shard' : `${failedShards} shards`;
    reasons.push(`${shards} failed (their ids were not attempted)`);
  }
  if (aggregate.errors.aborted > 0) {
    reasons.push(`${aggregate.errors.aborted} ids were aborted at the deadline`);
  }
  const { maxP95Ms } = thresholds;
  const p95 = maxP95Ms === undefined ? undefined : latencySummary(aggregate)?.p95;
  if (maxP95Ms !== undefined && p95 !== undefined && p95 > maxP95Ms) {
    reasons.push(`p95 latency ${round(p95)} ms is above ${maxP95Ms} ms`);
  }
  const verdict =
    rate < thresholds.failedBelowPercent
      ? Verdict.failed
      : reasons.length > 0
        ? Verdict.degraded
        : Verdict.ok;
  return { verdict, verdictReasons: reasons, unexpectedSamples, ...count };
}

function ids(n: number): string {
  return n === 1 ? '1 id' : `${n} ids`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
