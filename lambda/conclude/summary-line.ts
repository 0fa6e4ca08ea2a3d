import type { BaselineReport } from '../baseline/keep.js';
import type { RecentReport } from '../baseline/recent.js';
import type { Changes } from '../contract/changes.js';
import type { SweepResponse } from '../contract/response.js';
import type { LogLine } from '../ground/log.js';
import type { EventReport } from '../notify/send-event.js';

/** The one log line per sweep: counts and timing, never a line per id. */
export function summaryLine(
  response: SweepResponse,
  context: {
    readonly requestId?: string;
    readonly schedule?: string;
    readonly baseline?: BaselineReport;
    readonly event?: EventReport;
    /** The schedule's recent failures, when it alarms after more than one sweep. */
    readonly recent?: RecentReport;
  },
): LogLine {
  const errors = Object.fromEntries(Object.entries(response.errors).filter(([, n]) => n > 0));
  return {
    level: 'INFO',
    message: 'sweep finished',
    requestId: context.requestId,
    sweepId: response.sweepId,
    trigger: response.trigger,
    schedule: context.schedule,
    target: response.target,
    range: response.range,
    total: response.total,
    verdict: response.verdict,
    expected: response.expected,
    unexpected: response.unexpected,
    unexpectedReasons: response.unexpectedReasons,
    flaky: response.flaky,
    ...(response.muted && { muted: true }),
    complete: response.complete,
    statuses: response.statuses,
    errors,
    errorSamples: response.errorSamples,
    notAttempted: response.notAttempted,
    attempts: response.attempts,
    retries: response.retries,
    resends: response.resends,
    throttlePauses: response.throttlePauses,
    p50Ms: response.latencyMs?.p50 ?? null,
    p99Ms: response.latencyMs?.p99 ?? null,
    ...(response.certificate && { certificateDaysLeft: response.certificate.daysLeft }),
    durationMs: response.durationMs,
    metrics: response.metrics.status,
    ...(context.event && context.event.status !== 'off' && { event: context.event.status }),
    ...(context.baseline && { baseline: context.baseline }),
    ...(context.recent && { recent: context.recent }),
    ...(response.changes && { changes: changesFields(response.changes) }),
  };
}

/** The longest compact form a log line carries per category; longer ones end in "…". */
const LOGGED_IDS_CHARS = 1_000;

/** The changes as the summary line names them: counts and (bounded) ranges. */
function changesFields(changes: Changes): Record<string, unknown> {
  const ids = (form: string) =>
    form.length > LOGGED_IDS_CHARS ? `${form.slice(0, LOGGED_IDS_CHARS)}…` : form;
  const set = ({ count, ids: form }: { count: number; ids: string }) => ({ count, ids: ids(form) });
  return {
    baselineSweepId: changes.baseline.sweepId,
    newlyUnexpected: set(changes.newlyUnexpected),
    recovered: set(changes.recovered),
    stillUnexpected: changes.stillUnexpected.count,
    new: changes.new.count,
    transitions: Object.fromEntries(
      Object.entries(changes.transitions).map(([key, form]) => [key, ids(form)]),
    ),
  };
}
