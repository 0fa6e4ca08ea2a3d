import 'aws-sdk-client-mock-vitest/extend';
import {
  ExecutionLimitExceeded,
  ListExecutionsCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { RunAccepted, RunInput } from '../../lambda/distributed/messages.js';
import { lambdaContext, postSweeps, scheduleEvent } from '../support/events.js';
import {
  type HandlerUnderTest,
  handlerOnLoopback,
  jsonBody,
  runStarted,
} from '../support/sweep-handler.js';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:StatusSweepRuns';
const sfn = mockClient(SFNClient);

describe('a range larger than one invocation', () => {
  let sut: HandlerUnderTest;
  beforeAll(async () => {
    sut = await handlerOnLoopback({
      MAX_IDS: '100',
      MAX_DISTRIBUTED_IDS: '1000',
      SHARD_MAX_CONCURRENCY: '4',
      STATE_MACHINE_ARN,
    });
  });
  afterAll(() => sut.close());
  beforeEach(() => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  });

  it('starts the state machine and answers 202 with where to follow it', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 250, concurrency: 8, ratePerSecond: 40 }),
      lambdaContext(),
    );

    expect(result).toMatchObject({ statusCode: 202 });
    const accepted = jsonBody<RunAccepted>(result);
    expect(accepted).toMatchObject({
      trigger: 'api',
      target: 'demo',
      range: { start: 1, end: 250 },
      total: 250,
      status: 'RUNNING',
      // 250 ids in shards of at most 100 (MAX_IDS): three even shards.
      shards: 3,
      shardSize: 84,
      expectedDurationMs: expect.any(Number),
      statusUrl: `/sweeps/${accepted.sweepId}`,
    });
    expect(result.headers?.Location).toBe(accepted.statusUrl);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const call = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(call?.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(call?.name).toBe(accepted.sweepId);
    const input = JSON.parse(call?.input ?? '{}') as RunInput;
    expect(input).toEqual({
      run: {
        sweepId: accepted.sweepId,
        trigger: 'api',
        range: { start: 1, end: 250 },
        shardSize: 84,
      },
      range: { start: 1, end: 250 },
      shardSize: 84,
      // 40/s across the 3 shards, all running at once (the map allows 4): 40/3 each.
      shardOptions: { concurrency: 8, timeoutMs: 10_000, retries: 2, ratePerSecond: 40 / 3 },
    });
  });

  it('starts a scheduled large range too, naming the schedule in the run', async () => {
    const accepted = runStarted(
      await sut.invoke(
        scheduleEvent({ start: 0, end: 999, schedule: 'everything' }),
        lambdaContext(),
      ),
    );

    expect(accepted).toMatchObject({ trigger: 'schedule', shards: 10, status: 'RUNNING' });
    const input = JSON.parse(
      sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}',
    );
    expect(input.run).toEqual({
      sweepId: accepted.sweepId,
      trigger: 'schedule',
      schedule: 'everything',
      range: { start: 0, end: 999 },
      shardSize: 100,
    });
  });

  it('sweeps a range within MAX_IDS itself, starting nothing', async () => {
    const result = await sut.http(postSweeps({ start: 1, end: 100 }), lambdaContext());
    expect(result).toMatchObject({ statusCode: 200 });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('answers 400 with the arithmetic, starting nothing, when the run could not finish', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 1000, ratePerSecond: 0.01 }),
      lambdaContext(),
    );

    expect(result).toMatchObject({ statusCode: 400 });
    const body = JSON.stringify(jsonBody(result));
    expect(body).toContain('1000 ids cannot finish at 0.01 requests per second');
    expect(body).toContain('in a run of at most');
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it.each([
    [
      'too many open executions',
      new ExecutionLimitExceeded({ message: 'limit', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'throttled',
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    ],
  ])('answers 503 with Retry-After when Step Functions refuses the start (%s)', async (_n, e) => {
    sfn.on(StartExecutionCommand).rejects(e);

    const result = await sut.http(postSweeps({ start: 1, end: 250 }), lambdaContext());

    expect(result).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '30' } });
    expect(jsonBody(result)).toEqual({
      error: {
        code: 'service_unavailable',
        message: `Step Functions refused to start the run now (${e.name}); try again in 30 s`,
      },
    });
  });

  it('refuses a second run of the target with 409, naming the running sweep, starting nothing', async () => {
    const running = '7d3c1f0e-2b4a-4c5d-8e6f-0a1b2c3d4e5f';
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          name: running,
          executionArn: `arn:x:${running}`,
          stateMachineArn: STATE_MACHINE_ARN,
          status: 'RUNNING',
          startDate: new Date('2026-03-12T06:00:00Z'),
        },
      ],
    });

    const result = await sut.http(postSweeps({ start: 1, end: 250 }), lambdaContext());

    expect(result).toMatchObject({ statusCode: 409, headers: { Location: `/sweeps/${running}` } });
    expect(jsonBody(result)).toEqual({
      error: {
        code: 'run_in_progress',
        sweepId: running,
        message: `sweep ${running} of this target is still running (since 2026-03-12T06:00:00.000Z); one run at a time keeps the rate the target sees. Follow it at /sweeps/${running}`,
      },
    });
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      statusFilter: 'RUNNING',
    });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('fails a scheduled run that would overlap one still running, visibly', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [{ name: 'earlier' } as never],
    });

    const error: unknown = await sut
      .invoke(scheduleEvent({ start: 1, end: 250, schedule: 'nightly' }), lambdaContext())
      .catch((e: unknown) => e);

    expect((error as Error).name).toBe('RunInProgressError');
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('refuses a range above MAX_DISTRIBUTED_IDS by name', async () => {
    const result = await sut.http(postSweeps({ start: 1, end: 1001 }), lambdaContext());
    expect(result).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify(jsonBody(result))).toContain('MAX_DISTRIBUTED_IDS');
  });
});

describe('without a state machine', () => {
  it('keeps refusing ranges above MAX_IDS', async () => {
    const sut = await handlerOnLoopback({ MAX_IDS: '100' });
    onTestFinished(() => sut.close());

    const result = await sut.http(postSweeps({ start: 1, end: 101 }), lambdaContext());

    expect(result).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify(jsonBody(result))).toContain('(MAX_IDS)');
  });
});
