import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionDoesNotExist,
  ListMapRunsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { SweepResponse } from '../contract/response.js';
import { oneLine } from './failure.js';
import type { ResultSummary } from './result-link.js';
import { readResult } from './results.js';

/** One client for the life of the process (the runs function only). */
const sfn = new SFNClient({});

/** Where a distributed sweep is: its shards' progress, or its merged result. */
export type RunStatus =
  | {
      readonly sweepId: string;
      readonly status: 'RUNNING';
      readonly startedAt: string;
      /** Shards (Distributed Map items) by state; absent until the map run starts. */
      readonly progress?: ShardProgress;
    }
  | {
      readonly sweepId: string;
      readonly status: 'SUCCEEDED';
      readonly result: SweepResponse | ResultSummary;
    }
  | {
      readonly sweepId: string;
      readonly status: 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
      readonly startedAt: string;
      /** Step Functions' error name (`States.ExceedToleratedFailureThreshold`, `ConfigError`). */
      readonly error?: string;
      /** One line saying why, from the cause; never the cause itself (a Lambda error's trace). */
      readonly message?: string;
    };

export interface ShardProgress {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly running: number;
  readonly pending: number;
}

/** The execution of sweep `sweepId` (the sweep id is the execution's name). */
export function executionArn(stateMachineArn: string, sweepId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${sweepId}`;
}

/** The run's status, or undefined when no such sweep exists. */
export async function describeRun(
  sweepId: string,
  where: { readonly stateMachineArn: string; readonly resultsBucket: string },
  signal?: AbortSignal,
): Promise<RunStatus | undefined> {
  const arn = executionArn(where.stateMachineArn, sweepId);
  let execution: Awaited<ReturnType<typeof describeExecution>>;
  try {
    execution = await describeExecution(arn, signal);
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
  const startedAt = execution.startDate?.toISOString() ?? '';
  switch (execution.status) {
    case 'SUCCEEDED': {
      const result = await readResult(where.resultsBucket, sweepId, signal);
      if (result) return { sweepId, status: 'SUCCEEDED', result };
      // Succeeded but no result kept: the bucket's retention already expired it.
      return {
        sweepId,
        status: 'FAILED',
        startedAt,
        error: 'ResultExpired',
        message: 'the result was kept for the results bucket retention, which has passed',
      };
    }
    case 'RUNNING':
    case undefined: {
      const progress = await shardProgress(arn, signal);
      return { sweepId, status: 'RUNNING', startedAt, ...(progress && { progress }) };
    }
    default:
      return {
        sweepId,
        status: execution.status,
        startedAt,
        ...(execution.error && { error: execution.error }),
        ...(execution.cause && { message: oneLine(execution.cause) }),
      };
  }
}

function describeExecution(arn: string, signal?: AbortSignal) {
  return sfn.send(new DescribeExecutionCommand({ executionArn: arn }), { abortSignal: signal });
}

async function shardProgress(
  arn: string,
  signal?: AbortSignal,
): Promise<ShardProgress | undefined> {
  const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn: arn, maxResults: 1 }), {
    abortSignal: signal,
  });
  const mapRunArn = mapRuns?.[0]?.mapRunArn;
  if (!mapRunArn) return undefined;
  const { itemCounts: c } = await sfn.send(new DescribeMapRunCommand({ mapRunArn }), {
    abortSignal: signal,
  });
  if (!c) return undefined;
  return {
    total: c.total ?? 0,
    succeeded: c.succeeded ?? 0,
    failed: (c.failed ?? 0) + (c.timedOut ?? 0) + (c.aborted ?? 0),
    running: c.running ?? 0,
    pending: c.pending ?? 0,
  };
}
