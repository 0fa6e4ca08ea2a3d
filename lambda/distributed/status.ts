import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionDoesNotExist,
  ListMapRunsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { SweepResponse } from '../contract/response.js';
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
      readonly error?: string;
      readonly cause?: string;
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
): Promise<RunStatus | undefined> {
  const arn = executionArn(where.stateMachineArn, sweepId);
  let execution: Awaited<ReturnType<typeof describeExecution>>;
  try {
    execution = await describeExecution(arn);
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
  const startedAt = execution.startDate?.toISOString() ?? '';
  switch (execution.status) {
    case 'SUCCEEDED': {
      const result = await readResult(where.resultsBucket, sweepId);
      if (result) return { sweepId, status: 'SUCCEEDED', result };
      // Succeeded but no result kept: the bucket's retention already expired it.
      return { sweepId, status: 'FAILED', startedAt, error: 'ResultExpired' };
    }
    case 'RUNNING':
    case undefined: {
      const progress = await shardProgress(arn);
      return { sweepId, status: 'RUNNING', startedAt, ...(progress && { progress }) };
    }
    default:
      return {
        sweepId,
        status: execution.status,
        startedAt,
        ...(execution.error && { error: execution.error }),
        ...(execution.cause && { cause: execution.cause }),
      };
  }
}

function describeExecution(arn: string) {
  return sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
}

async function shardProgress(arn: string): Promise<ShardProgress | undefined> {
  const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn: arn, maxResults: 1 }));
  const mapRunArn = mapRuns?.[0]?.mapRunArn;
  if (!mapRunArn) return undefined;
  const { itemCounts: c } = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
  if (!c) return undefined;
  return {
    total: c.total ?? 0,
    succeeded: c.succeeded ?? 0,
    failed: (c.failed ?? 0) + (c.timedOut ?? 0) + (c.aborted ?? 0),
    running: c.running ?? 0,
    pending: c.pending ?? 0,
  };
}
