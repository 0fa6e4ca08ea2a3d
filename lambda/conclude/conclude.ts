import { unexpectedBy } from '../baseline/expected.js';
import { comparisonSkipped, createBaselines } from '../baseline/keep.js';
import { lazyS3Store } from '../baseline/lazy-s3-store.js';
import { createRecentVerdicts, type RecentRead, type RecentSweep } from '../baseline/recent.js';
import type { SweepResponse, UnpublishedResponse } from '../contract/response.js';
import type { RunRecord } from '../distributed/messages.js';
import { reduceShards } from '../distributed/reduce.js';
import { ALARM_AFTER_EVERY_FAILURE } from '../ground/alarm-after.js';
import type { Config } from '../ground/config.js';
import {
  type EndTimes,
  endTimesFor,
  type Invocation,
  metricsDeadline,
} from '../ground/deadline.js';
import { errorText } from '../ground/error-line.js';
import type { ExpectRule } from '../ground/expect-rules.js';
import { writeLog } from '../ground/log.js';
import { Trigger } from '../ground/options.js';
import type { ScheduleWatch } from '../ground/schedule-watch.js';
import { EventsMode } from '../ground/settings.js';
import { publishMetrics } from '../metrics/publish.js';
import { EMF_RESERVE_MS, MIN_SEND_BUDGET_MS } from '../metrics/send.js';
import { type EventReport, sendSweepEvent } from '../notify/send-event.js';
import { type EventContext, sweepFinishedEntry } from '../notify/sweep-event.js';
import type { SweepAggregate } from '../sweep/data.js';
import { compileExpectations } from '../verdict/expectations.js';
import { judge, Verdict } from '../verdict/verdict.js';
import type { SweepHooks } from './hooks.js';
import { summaryLine } from './summary-line.js';
import { toResponse, withMetrics } from './to-response.js';

/** Who a sweep was for: its id, who started it and what they expect of each id. */
export interface SweepIdentity extends ScheduleWatch {
  readonly sweepId: string;
  readonly trigger: Trigger;
  readonly schedule?: string;
  /** A schedule whose baseline the sweep is compared with, read-only. */
  readonly compareWith?: string;
  /** The request's or schedule's rules; the deployment's EXPECT when absent. */
  readonly expect?: readonly ExpectRule[];
}

/**
 * The end of every sweep, single or distributed, in one place: the aggregate to the hooks, its
 * verdict against the expectations, its metrics published once within what is left, the response
 * in the public contract, one log line.
 */
export interface Concluder {
  /** A single sweep's end; `times` are its invocation's (the metrics publish fits within them). */
  conclude(
    aggregate: SweepAggregate,
    who: SweepIdentity,
    times: EndTimes,
    requestId?: string,
  ): Promise<SweepResponse>;
  /**
   * A distributed sweep's end, in AWS (the reduce task) and locally alike: its shards merged
   * exactly (a shard that never reported counts as not attempted), then concluded once.
   */
  concludeRun(
    run: RunRecord,
    shards: readonly SweepAggregate[],
    clock: { readonly startedAt: number; readonly endedAt: number },
    invocation: Invocation,
  ): Promise<SweepResponse>;
}

/** Built once at cold start with the config and hooks it closes over. */
export function createConcluder(config: Config, hooks: SweepHooks = {}): Concluder {
  const log = hooks.log ?? writeLog;
  const store =
    hooks.baselines ??
    (config.resultsBucket === undefined ? undefined : lazyS3Store(config.resultsBucket));
  const baselines = createBaselines(store, log);
  const recents = createRecentVerdicts(store, log);
  const deployed = compileExpectations(config.expect);
  const conclude = async (
    aggregate: SweepAggregate,
    who: SweepIdentity,
    times: EndTimes,
    requestId?: string,
    run = false,
  ): Promise<SweepResponse> => {
    hooks.onAggregate?.(aggregate);
    const expectations = who.expect === undefined ? deployed : compileExpectations(who.expect);
    const verdict = judge(aggregate, expectations, config.verdict);
    const deadline = metricsDeadline(times);
    // The reads leave the metrics publish its minimum; a schedule compares with its own baseline.
    const readBy = deadline - MIN_SEND_BUDGET_MS - EMF_RESERVE_MS;
    // A schedule's own sweeps (never API sweeps) feed its metrics and its recent verdicts.
    const own = who.trigger === Trigger.schedule ? who.schedule : undefined;
    const sweep: RecentSweep = {
      sweepId: who.sweepId,
      endedAt: new Date(aggregate.endedAt).toISOString(),
      failed: verdict.verdict === Verdict.failed,
    };
    const [comparison, recent] = await Promise.all([
      baselines.compare(
        { range: aggregate.range, ids: aggregate.ids, unexpected: verdict.unexpectedIds },
        who.schedule ?? who.compareWith,
        readBy,
        unexpectedBy(expectations),
      ),
      own === undefined
        ? undefined
        : recents.count(own, sweep, who.alarmAfter ?? ALARM_AFTER_EVERY_FAILURE, readBy),
    ]);
    const unpublished = toResponse(
      aggregate,
      verdict,
      who,
      config.targetName,
      comparison.changes,
      comparisonSkipped(comparison.report),
    );
    // The metrics published, the event sent and the verdict remembered side by side, each bounded
    // by the deadline: the event is built from the response without its metrics report.
    const [metrics, event, recentReport] = await Promise.all([
      publishMetrics(aggregate, verdict, {
        config,
        deadline,
        log,
        schedule: own === undefined ? undefined : scheduleContext(own, who, recent),
        changes: comparison.changes,
      }),
      announce(unpublished, { schedule: who.schedule, run, muted: who.muted === true }, deadline),
      // One of one keeps no memory, and its summary line says nothing of it.
      own === undefined || recent === undefined || recent.report.of === 1
        ? undefined
        : recents.record(own, sweep, recent, deadline),
    ]);
    const response = withMetrics(unpublished, metrics);
    // The baseline is the whole response, its metrics report included.
    const baseline =
      who.schedule === undefined
        ? comparison.report
        : await baselines.keep(who.schedule, response, comparison, deadline);
    log(
      summaryLine(response, {
        requestId,
        schedule: who.schedule,
        baseline,
        event,
        recent: recentReport,
      }),
    );
    return response;
  };
  /** The Sweep Finished event, once, within the deadline; never throws. */
  const announce = async (
    response: UnpublishedResponse,
    context: EventContext,
    deadline: number,
  ): Promise<EventReport> => {
    if (config.eventsMode === EventsMode.off) return { status: 'off' };
    try {
      const entry = sweepFinishedEntry(response, { ...context, dashboardUrl: config.dashboardUrl });
      return await sendSweepEvent(entry, deadline, log);
    } catch (cause) {
      // Our own bug: lose the event rather than the sweep.
      const reason = `the Sweep Finished event was not built: ${errorText(cause)}`;
      log({ level: 'WARN', message: reason });
      return { status: 'failed', reason };
    }
  };
  return {
    conclude,
    concludeRun: (run, shards, clock, invocation) =>
      conclude(
        reduceShards(run.range, shards, clock, run.shardSize),
        run,
        // The state machine invokes the reduce step: no API Gateway waits on it.
        endTimesFor(invocation, Trigger.invoke),
        invocation.awsRequestId,
        true,
      ),
  };
}

/** What the schedule's own metrics say: its recent failures, and Muted when it has windows. */
function scheduleContext(name: string, who: SweepIdentity, recent: RecentRead | undefined) {
  return {
    name,
    recentFailures: recent?.report.failures ?? 0,
    ...(who.muteWindows === true && { muted: who.muted === true }),
  };
}
