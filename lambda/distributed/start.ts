import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Config } from '../config.js';
import type { SweepRequest } from '../options.js';
import { runPath } from '../routes.js';
import { rangeSize } from '../sweep/range.js';
import type { RunAccepted, RunInput } from './messages.js';
import { shardCount, shardRate } from './shards.js';

/** One client for the life of the process; created on first use, so single sweeps never pay. */
let client: SFNClient | undefined;

/** The execution input for a request: the run record, the shard plan and per-shard options. */
export function runInput(request: SweepRequest, sweepId: string, config: Config): RunInput {
  const { range } = request;
  const rate = shardRate(request.ratePerSecond, config.shardMaxConcurrency);
  return {
    run: {
      sweepId,
      trigger: request.trigger,
      ...(request.schedule !== undefined && { schedule: request.schedule }),
      ...(request.compareWith !== undefined && { compareWith: request.compareWith }),
      range,
    },
    range,
    shardSize: config.shardSize,
    shardOptions: {
      concurrency: request.concurrency,
      timeoutMs: request.timeoutMs,
      retries: request.retries,
      ...(rate !== undefined && { ratePerSecond: rate }),
    },
  };
}

/** Starts the state machine for a range larger than one invocation sweeps (execution name = sweep id). */
export async function startRun(
  request: SweepRequest,
  sweepId: string,
  config: Config,
  stateMachineArn: string,
): Promise<RunAccepted> {
  const input = runInput(request, sweepId, config);
  client ??= new SFNClient({});
  await client.send(
    new StartExecutionCommand({ stateMachineArn, name: sweepId, input: JSON.stringify(input) }),
  );
  return {
    sweepId,
    trigger: request.trigger,
    target: config.targetName,
    range: input.range,
    total: rangeSize(input.range),
    status: 'RUNNING',
    shards: shardCount(input.range, config.shardSize),
    shardSize: config.shardSize,
    statusUrl: runPath(sweepId),
  };
}
