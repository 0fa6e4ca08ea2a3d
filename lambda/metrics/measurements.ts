import type { HistogramSnapshot, Phase, SweepAggregate } from '../sweep/data.js';
import { certificateReport, LatencyHistogram, PHASES, type WeightedValue } from '../sweep/data.js';
import { type SweepVerdict, Verdict } from '../verdict/verdict.js';
import { MetricName } from './names.js';

/** CloudWatch StandardUnit names, which EMF uses too. */
export const MetricUnit = {
  milliseconds: 'Milliseconds',
  count: 'Count',
  percent: 'Percent',
  /** CloudWatch has no day unit: CertificateDaysLeft is a plain number of days. */
  none: 'None',
} as const;

/** Each phase's distribution, beside RequestLatency. */
const PHASE_METRICS: Readonly<Record<Phase, MetricName>> = {
  connect: MetricName.connectLatency,
  tls: MetricName.tlsLatency,
  firstByte: MetricName.firstByteLatency,
  body: MetricName.bodyLatency,
};
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** One metric of a sweep, independent of how it travels (PutMetricData, EMF, a local summary). */
export type Measurement =
  | { readonly name: MetricName; readonly unit: MetricUnit; readonly value: number }
  | {
      readonly name: MetricName;
      readonly unit: MetricUnit;
      readonly values: readonly WeightedValue[];
    };

/**
 * The counts a sweep's metrics report. Definitions (documented in the README):
 * - requests: ids that were attempted (every id but the not-attempted ones); HTTP requests sent
 *   are requests + retries.
 * - expected: attempted ids whose outcome met their expectation (EXPECT, the schedule's or the
 *   request's rules; by default a final 2xx or 3xx).
 * - unexpected: requests − expected: a status the rule does not accept, or an error.
 * - errors: ids that ended without an HTTP status (timeout, connection, dns, tls, protocol,
 *   aborted at the deadline, other).
 * - successRate: 100 × expected / requests, only when requests > 0.
 */
export interface SweepCounts {
  readonly requests: number;
  readonly expected: number;
  readonly unexpected: number;
  readonly status2xx: number;
  readonly status3xx: number;
  readonly status4xx: number;
  readonly status5xx: number;
  readonly errors: number;
  readonly retries: number;
  readonly notAttempted: number;
  readonly successRate: number | null;
}

/** Pure: the counts of an aggregate and its verdict. */
export function sweepCounts(aggregate: SweepAggregate, verdict: SweepVerdict): SweepCounts {
  const byClass = [0, 0, 0, 0, 0, 0];
  for (const [status, n] of Object.entries(aggregate.statuses)) {
    const cls = Math.floor(Number(status) / 100);
    if (cls >= 1 && cls <= 5) byClass[cls] = (byClass[cls] ?? 0) + n;
  }
  const [, , status2xx = 0, status3xx = 0, status4xx = 0, status5xx = 0] = byClass;
  const errors = Object.values(aggregate.errors).reduce((sum, n) => sum + n, 0);
  const requests = aggregate.total - aggregate.notAttempted;
  const { expected, unexpected } = verdict;
  return {
    requests,
    expected,
    unexpected,
    status2xx,
    status3xx,
    status4xx,
    status5xx,
    errors,
    retries: aggregate.retries,
    notAttempted: aggregate.notAttempted,
    successRate: requests > 0 ? (100 * expected) / requests : null,
  };
}

/**
 * Pure: every metric of a sweep. A value CloudWatch would reject (NaN, ±Infinity, negative) is
 * left out rather than sent; RequestLatency is left out when no id got a response and
 * SuccessRate when nothing was attempted. One of VerdictOk/VerdictDegraded/VerdictFailed is 1,
 * the two others 0, and Sweeps is 1, so that sums over a period count sweeps by verdict.
 */
export function measure(aggregate: SweepAggregate, verdict: SweepVerdict): Measurement[] {
  const c = sweepCounts(aggregate, verdict);
  const is = (v: Verdict) => (verdict.verdict === v ? 1 : 0);
  const { count, milliseconds, percent } = MetricUnit;
  const scalars: Array<[MetricName, MetricUnit, number | null]> = [
    [MetricName.sweepDuration, milliseconds, aggregate.endedAt - aggregate.startedAt],
    [MetricName.sweeps, count, 1],
    [MetricName.requests, count, c.requests],
    [MetricName.expected, count, c.expected],
    [MetricName.unexpected, count, c.unexpected],
    [MetricName.status2xx, count, c.status2xx],
    [MetricName.status3xx, count, c.status3xx],
    [MetricName.status4xx, count, c.status4xx],
    [MetricName.status5xx, count, c.status5xx],
    [MetricName.errors, count, c.errors],
    [MetricName.retries, count, c.retries],
    [MetricName.notAttempted, count, c.notAttempted],
    [MetricName.contentMismatch, count, verdict.unexpectedReasons.content],
    [MetricName.slow, count, verdict.unexpectedReasons.slow],
    [MetricName.successRate, percent, c.successRate],
    [MetricName.verdictOk, count, is(Verdict.ok)],
    [MetricName.verdictDegraded, count, is(Verdict.degraded)],
    [MetricName.verdictFailed, count, is(Verdict.failed)],
    // Distributed sweeps only: a single sweep has no shards to fail.
    [MetricName.failedShards, count, aggregate.failedShards?.length ?? null],
  ];
  const { certificate } = aggregate;
  const daysLeft = certificate && certificateReport(certificate, aggregate.endedAt).daysLeft;
  const out: Measurement[] = [];
  for (const [name, unit, value] of scalars) {
    if (value !== null && isPublishable(value)) out.push({ name, unit, value });
  }
  // Negative once expired: CloudWatch takes it, and the alarm must see it.
  if (daysLeft !== undefined && Number.isFinite(daysLeft)) {
    out.push({ name: MetricName.certificateDaysLeft, unit: MetricUnit.none, value: daysLeft });
  }
  const distributions: Array<[MetricName, HistogramSnapshot | undefined]> = [
    [MetricName.requestLatency, aggregate.latency],
    ...PHASES.map((phase): [MetricName, HistogramSnapshot | undefined] => [
      PHASE_METRICS[phase],
      aggregate.phases?.[phase],
    ]),
  ];
  for (const [name, snapshot] of distributions) {
    if (!snapshot) continue;
    const values = LatencyHistogram.fromJSON(snapshot)
      .weightedValues()
      .filter((w) => isPublishable(w.value) && Number.isFinite(w.count) && w.count > 0);
    if (values.length > 0) out.push({ name, unit: milliseconds, values });
  }
  return out;
}

/** CloudWatch rejects NaN and ±Infinity; none of our metrics can honestly be negative. */
export function isPublishable(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/** How many samples a measurement stands for (1 for a scalar). */
export function sampleCount(m: Measurement): number {
  return 'value' in m ? 1 : m.values.reduce((sum, w) => sum + w.count, 0);
}
