import type { Config } from './config.js';
import { type EndTimes, endTimesFor, type Invocation, metricsDeadline } from './deadline.js';
import type { RunRecord } from './distributed/messages.js';
import { reduceShards } from './distributed/reduce.js';
import type { SweepHooks } from './hooks.js';
import { type LogLine, writeLog } from './log.js';
import { type MetricsReport, publishMetrics } from './metrics/publish.js';
import { Trigger } from './options.js';
import type { SweepResponse } from './response.js';
import { latencySummary, type SweepAggregate } from './sweep/aggregate.js';
import { compileExpectations, type ExpectRule } from './verdict/expectations.js';
import { judge, type SweepVerdict } from './verdict/verdict.js';

/** Who a sweep was for: its id, who started it and what they expect of each id. */
export interface SweepIdentity {
  readonly sweepId: string;
  readonly trigger: Trigger;
  readonly schedule?: string;
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
  const deployed = compileExpectations(config.expect);
  const conclude: Concluder['conclude'] = async (aggregate, who, times, requestId) => {
    hooks.onAggregate?.(aggregate);
    const expectations = who.expect === undefined ? deployed : compileExpectations(who.expect);
    const verdict = judge(aggregate, expectations, config.verdict);
    const metrics = await publishMetrics(aggregate, verdict, {
      config,
      deadline: metricsDeadline(times),
      log,
      // A schedule's sweeps also feed its per-schedule metrics; API sweeps never do.
      schedule: who.trigger === Trigger.schedule ? who.schedule : undefined,
    });
    const response = toResponse(aggregate, verdict, who, config.targetName, metrics);
    log(summaryLine(response, { requestId, schedule: who.schedule }));
    return response;
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
      ),
  };
}

/** Pure: the response for an aggregate and its verdict. */
export function toResponse(
  aggregate: SweepAggregate,
  verdict: SweepVerdict,
  who: SweepIdentity,
  target: string,
  metrics: MetricsReport,
): SweepResponse {
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
    verdictReasons: verdict.verdictReasons,
    complete: aggregate.complete,
    statuses: aggregate.statuses,
    errors: aggregate.errors,
    errorSamples: aggregate.errorSamples ?? {},
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
function summaryLine(
  response: SweepResponse,
  context: { readonly requestId?: string; readonly schedule?: string },
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
    complete: response.complete,
    statuses: response.statuses,
    errors,
    errorSamples: response.errorSamples,
    notAttempted: response.notAttempted,
    attempts: response.attempts,
    retries: response.retries,
    p50Ms: response.latencyMs?.p50 ?? null,
    p99Ms: response.latencyMs?.p99 ?? null,
    durationMs: response.durationMs,
    metrics: response.metrics.status,
  };
}
