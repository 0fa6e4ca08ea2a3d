import type { Changes } from '../contract/changes.js';
import type { SweepResponse, UnpublishedResponse } from '../contract/response.js';
import type { Trigger } from '../ground/options.js';
import type { MetricsReport } from '../metrics/report.js';
import {
  certificateReport,
  countIds,
  latencySummary,
  type SweepAggregate,
  summarizePhases,
} from '../sweep/data.js';
import type { SweepVerdict } from '../verdict/verdict.js';

/** Pure: the response for an aggregate and its verdict, all but its metrics report. */
export function toResponse(
  aggregate: SweepAggregate,
  verdict: SweepVerdict,
  who: { readonly sweepId: string; readonly trigger: Trigger; readonly muted?: boolean },
  target: string,
  changes: Changes | null = null,
  skipped?: SweepResponse['skipped'],
): UnpublishedResponse {
  const { confirm } = aggregate;
  const flakyIds = confirm?.flakyIds ?? '';
  const flaky = countIds(flakyIds);
  return {
    sweepId: who.sweepId,
    trigger: who.trigger,
    target,
    range: { start: aggregate.range.start, end: aggregate.range.end },
    total: aggregate.total,
    verdict: verdict.verdict,
    expected: verdict.expected,
    unexpected: verdict.unexpected,
    unexpectedIds: verdict.unexpectedIds,
    flaky,
    flakyIds,
    confirm: confirm
      ? {
          requested: confirm.requested,
          confirmed: confirm.confirmed,
          ...(confirm.skipped !== undefined && { skipped: confirm.skipped }),
        }
      : null,
    unexpectedReasons: verdict.unexpectedReasons,
    unexpectedSamples: verdict.unexpectedSamples,
    verdictReasons: verdict.verdictReasons,
    complete: aggregate.complete,
    statuses: aggregate.statuses,
    errors: aggregate.errors,
    errorSamples: aggregate.errorSamples ?? {},
    notAttempted: aggregate.notAttempted,
    ids: aggregate.ids,
    latencyMs: latencySummary(aggregate),
    phases: aggregate.phases ? summarizePhases(aggregate.phases) : null,
    certificate: aggregate.certificate
      ? certificateReport(aggregate.certificate, aggregate.endedAt)
      : null,
    attempts: aggregate.attempts,
    retries: aggregate.retries,
    resends: aggregate.resends,
    throttlePauses: aggregate.throttlePauses,
    durationMs: aggregate.endedAt - aggregate.startedAt,
    endedAt: new Date(aggregate.endedAt).toISOString(),
    changes:
      changes && flaky > 0 ? { ...changes, flaky: { count: flaky, ids: flakyIds } } : changes,
    ...(aggregate.failedShards && { failedShards: aggregate.failedShards }),
    ...(skipped && { skipped }),
    ...(who.muted && { muted: true as const }),
  };
}

/**
 * The response with its metrics report in the contract's place, after `endedAt`: the fields that
 * follow it there (`changes`, then those present only sometimes) follow it here.
 */
export function withMetrics(
  unpublished: UnpublishedResponse,
  metrics: MetricsReport,
): SweepResponse {
  const { changes, failedShards, skipped, muted, ...head } = unpublished;
  return {
    ...head,
    metrics,
    changes,
    ...(failedShards && { failedShards }),
    ...(skipped && { skipped }),
    ...(muted && { muted }),
  };
}
