import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import { budgetOf, metricsDeadline, sweepDeadline } from './deadline.js';
import { publishMetrics } from './metrics/publish.js';
import { type SweepRequest, Trigger } from './request.js';
import { type SweepResponse, summaryLogLine, toResponse } from './response.js';
import type { SweepAggregate } from './sweep/aggregate.js';
import { sweep } from './sweep/sweep.js';

/** What the run needs of the Lambda context. */
export interface Invocation {
  readonly awsRequestId?: string;
  /** Absent outside Lambda: then only timeBudgetMs and the API limit bound the sweep. */
  readonly getRemainingTimeInMillis?: () => number;
}

/** Hooks for the process that hosts the handler; the deployed function uses the defaults. */
export interface RunHooks {
  /** Where the one summary line per sweep goes; console.log (CloudWatch Logs) by default. */
  readonly log?: (line: string) => void;
  /** Progress as ids settle (the local CLI draws a progress line with it). */
  readonly onProgress?: (settled: number, total: number) => void;
  /** The aggregate before it becomes a response (the local CLI draws its histogram). */
  readonly onAggregate?: (aggregate: SweepAggregate) => void;
}

/** request → sweep within the deadline → metrics within what is left → response and log line. */
export async function runSweep(
  request: SweepRequest,
  invocation: Invocation,
  config: Config,
  hooks: RunHooks = {},
): Promise<SweepResponse> {
  const budget = budgetOf({
    now: Date.now(),
    remainingMs: invocation.getRemainingTimeInMillis?.(),
    viaApiGateway: request.trigger === Trigger.api,
  });
  const aggregate = await sweep({
    range: { start: request.start, end: request.end },
    urlTemplate: config.targetUrlTemplate,
    concurrency: request.concurrency,
    timeoutMs: request.timeoutMs,
    retries: request.retries,
    ratePerSecond: request.ratePerSecond,
    deadline: sweepDeadline(budget, request.timeBudgetMs, config.responseMarginMs),
    onProgress: hooks.onProgress,
  });
  hooks.onAggregate?.(aggregate);
  const metrics = await publishMetrics(aggregate, {
    config,
    deadline: metricsDeadline(budget, Date.now()),
  });
  const response = toResponse(
    aggregate,
    { sweepId: randomUUID(), trigger: request.trigger, target: config.targetName },
    metrics,
  );
  (hooks.log ?? console.log)(
    summaryLogLine(response, { requestId: invocation.awsRequestId, schedule: request.schedule }),
  );
  return response;
}
