import type { MetricsReport } from './metrics/publish.js';
import type { Trigger } from './request.js';
import { type FailedShard, latencySummary, type SweepAggregate } from './sweep/aggregate.js';
import type { LatencySummary } from './sweep/histogram.js';
import type { ErrorKind } from './sweep/outcome.js';
import type { IdRange } from './sweep/range.js';

/** The public contract: what an API caller gets as JSON and a schedule or invoke returns. */
export interface SweepResponse {
  readonly sweepId: string;
  readonly trigger: Trigger;
  /** The configured target's name (TARGET_NAME), also the metrics dimension. */
  readonly target: string;
  readonly range: IdRange;
  readonly total: number;
  readonly complete: boolean;
  readonly statuses: Readonly<Record<string, number>>;
  /** Every error kind, zero included. */
  readonly errors: Readonly<Record<ErrorKind, number>>;
  readonly notAttempted: number;
  readonly ids: Readonly<Record<string, string>>;
  /** Of the ids that ended with an HTTP status; null when none did. */
  readonly latencyMs: LatencySummary | null;
  readonly attempts: number;
  readonly retries: number;
  readonly durationMs: number;
  readonly metrics: MetricsReport;
  /** Distributed sweeps: shards that failed for good, with their ranges (ids not attempted). */
  readonly failedShards?: readonly FailedShard[];
}

export interface SweepIdentity {
  readonly sweepId: string;
  readonly trigger: Trigger;
  readonly target: string;
}

/** Pure: the response for an aggregate. */
export function toResponse(
  aggregate: SweepAggregate,
  identity: SweepIdentity,
  metrics: MetricsReport,
): SweepResponse {
  return {
    sweepId: identity.sweepId,
    trigger: identity.trigger,
    target: identity.target,
    range: { start: aggregate.range.start, end: aggregate.range.end },
    total: aggregate.total,
    complete: aggregate.complete,
    statuses: aggregate.statuses,
    errors: aggregate.errors,
    notAttempted: aggregate.notAttempted,
    ids: aggregate.ids,
    latencyMs: latencySummary(aggregate),
    attempts: aggregate.attempts,
    retries: aggregate.retries,
    durationMs: aggregate.endedAt - aggregate.startedAt,
    metrics,
    ...(aggregate.failedShards && { failedShards: aggregate.failedShards }),
  };
}

/** The one log line per sweep: counts and timing, never a line per id. */
export function summaryLogLine(
  response: SweepResponse,
  context: { readonly requestId?: string; readonly schedule?: string },
): string {
  const errors = Object.fromEntries(Object.entries(response.errors).filter(([, n]) => n > 0));
  return JSON.stringify({
    level: 'INFO',
    message: 'sweep finished',
    requestId: context.requestId,
    sweepId: response.sweepId,
    trigger: response.trigger,
    schedule: context.schedule,
    target: response.target,
    range: response.range,
    total: response.total,
    complete: response.complete,
    statuses: response.statuses,
    errors,
    notAttempted: response.notAttempted,
    attempts: response.attempts,
    retries: response.retries,
    p50Ms: response.latencyMs?.p50 ?? null,
    p99Ms: response.latencyMs?.p99 ?? null,
    durationMs: response.durationMs,
    metrics: response.metrics.status,
  });
}
