import type { Config } from './config.js';
import { publishMetrics } from './metrics/publish.js';
import type { Trigger } from './request.js';
import { type SweepResponse, summaryLogLine, toResponse } from './response.js';
import type { SweepAggregate } from './sweep/aggregate.js';

/** What the caller of a sweep may hear of it before the response. */
export interface ConcludeHooks {
  /** Where the one summary line goes; console.log (CloudWatch Logs) by default. */
  readonly log?: (line: string) => void;
  /** The aggregate before it becomes a response (the local CLI draws its histogram). */
  readonly onAggregate?: (aggregate: SweepAggregate) => void;
}

/**
 * The end of every sweep, single or distributed: the aggregate to the hooks, its metrics
 * published once within what is left, the response in the public contract, one log line.
 */
export async function concludeSweep(
  aggregate: SweepAggregate,
  who: { readonly sweepId: string; readonly trigger: Trigger; readonly schedule?: string },
  context: {
    readonly config: Config;
    readonly metricsDeadline: number;
    readonly requestId?: string;
  },
  hooks: ConcludeHooks = {},
): Promise<SweepResponse> {
  hooks.onAggregate?.(aggregate);
  const metrics = await publishMetrics(aggregate, {
    config: context.config,
    deadline: context.metricsDeadline,
  });
  const response = toResponse(
    aggregate,
    { sweepId: who.sweepId, trigger: who.trigger, target: context.config.targetName },
    metrics,
  );
  (hooks.log ?? console.log)(
    summaryLogLine(response, { requestId: context.requestId, schedule: who.schedule }),
  );
  return response;
}
