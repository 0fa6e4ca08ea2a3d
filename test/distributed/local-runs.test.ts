import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import type { LocalHandler } from '../../dev/local-api.js';
import { type LocalRunHooks, type LocalRuns, localRuns } from '../../dev/local-runs.js';
import { withLocalRuns } from '../../dev/local-runs-api.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import type { RunAccepted } from '../../lambda/distributed/messages.js';
import {
  exceedsTolerance,
  TOLERANCE_EXCEEDED_ERROR,
  TOLERATED_FAILURE_PERCENTAGE,
} from '../../lambda/distributed/tolerance.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { createRunsHandlers } from '../../lambda/entry/runs.js';
import { type Config, loadConfig } from '../../lambda/ground/config.js';
import { InvalidEventError, NEVER_RETRIED_ERRORS } from '../../lambda/ground/errors.js';
import { httpApiEvent, lambdaContext, postSweeps } from '../support/events.js';
import { jsonBody } from '../support/sweep-handler.js';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:StatusSweepRuns';
const BUCKET = 'status-sweep-results';
const quiet = () => undefined;
const sfn = mockClient(SFNClient);

let upstream: DemoUpstream;
let local: Config;
let deployed: Config;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: 1 });
  const env = { TARGET_URL_TEMPLATE: upstream.urlTemplate, METRICS_MODE: 'off', MAX_IDS: '50' };
  local = loadConfig(env);
  deployed = loadConfig({ ...env, STATE_MACHINE_ARN, RESULTS_BUCKET: BUCKET });
});
afterAll(() => upstream?.close());
beforeEach(() => sfn.reset());

/** The local API's handler over `runs`, built as `npm run serve` builds it. */
function localApi(hooks: LocalRunHooks = {}): { api: LocalHandler; runs: LocalRuns } {
  // Retries wait 5 ms, not the state machine's 2 s; their number and rule are the real ones.
  const runs = localRuns(local, { log: quiet, retryIntervalMs: 5, ...hooks });
  const { dispatch } = createHandlers(local, { log: quiet, runs });
  return { api: withLocalRuns(dispatch, runs), runs };
}

/** A shard entry point that fails the run's second shard, as a crashed invocation would. */
function secondShardFails(): LocalRunHooks['invokeShard'] {
  const { shard } = createHandlers(local, { log: quiet, poolPerSweep: true });
  return async (event, context) => {
    if (event.shardStart === 1 + event.shardSize) throw new Error('Runtime.ExitError');
    return shard(event, context);
  };
}

/** A shard entry point whose shards wait until `release()`: a run that is still running. */
function heldShards(): { invokeShard: LocalRunHooks['invokeShard']; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { shard } = createHandlers(local, { log: quiet, poolPerSweep: true });
  return {
    invokeShard: async (event, context) => {
      await gate;
      return shard(event, context);
    },
    release: () => release(),
  };
}

const getRun = (id: string) => httpApiEvent({ method: 'GET', path: `/sweeps/${id}` });
/** What a caller sees of a response: status, header names and the body with run-specific values named. */
function seen(result: APIGatewayProxyStructuredResultV2, sweepId: string) {
  const text = String(result.body).replaceAll(sweepId, '<sweepId>');
  const body = JSON.parse(text) as Record<string, unknown>;
  return {
    statusCode: result.statusCode,
    headers: Object.keys(result.headers ?? {}).sort(),
    retryAfter: result.headers?.['Retry-After'],
    fields: Object.keys(body).sort(),
    body,
  };
}

/** POST /sweeps for ids 1..`end` on the local API: the run it accepted. */
async function startLocally(api: LocalHandler, end: number): Promise<RunAccepted> {
  return jsonBody<RunAccepted>(
    (await api(postSweeps({ start: 1, end }), lambdaContext())) as never,
  );
}

/** GET /sweeps/{id} from the deployed runs function (its SFN answers mocked) and the local API. */
async function getBoth(api: LocalHandler, sweepId: string) {
  const aws = createRunsHandlers(deployed, { log: quiet });
  const there = seen(await aws.http(getRun(sweepId), lambdaContext()), sweepId);
  const here = seen((await api(getRun(sweepId), lambdaContext())) as never, sweepId);
  return { there, here };
}

describe('a distributed run, locally and deployed', () => {
  it('is accepted with the same status, Location and fields', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    const aws = createHandlers(deployed, { log: quiet });
    const { api, runs } = localApi();

    const there = (await aws.http(postSweeps({ start: 1, end: 120 }), lambdaContext())) as never;
    const here = (await api(postSweeps({ start: 1, end: 120 }), lambdaContext())) as never;

    const a = seen(there, jsonBody<RunAccepted>(there).sweepId);
    const b = seen(here, jsonBody<RunAccepted>(here).sweepId);
    expect(b).toEqual(a);
    expect(b).toMatchObject({ statusCode: 202, headers: ['Content-Type', 'Location'] });
    await runs.ended(jsonBody<RunAccepted>(here).sweepId);
  });

  it('answers 202 with Retry-After: 5 and the shards as progress while it runs', async () => {
    const { invokeShard, release } = heldShards();
    const { api, runs } = localApi({ invokeShard });
    const accepted = await startLocally(api, 120);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: new Date() });
    sfn.on(ListMapRunsCommand).resolves({ mapRuns: [{ mapRunArn: 'arn:map' } as never] });
    sfn.on(DescribeMapRunCommand).resolves({
      itemCounts: { total: 3, succeeded: 0, failed: 0, running: 3, pending: 0 } as never,
    });

    const { there, here } = await getBoth(api, accepted.sweepId);
    release();

    expect(here).toMatchObject({ statusCode: 202, retryAfter: '5' });
    expect({ ...here, body: undefined }).toEqual({ ...there, body: undefined });
    expect(here.body.progress).toEqual(there.body.progress);
    expect(here.body).not.toHaveProperty('settled');
    await runs.ended(accepted.sweepId);
  });

  it('fails a run of 3 shards with one failed shard, as the Distributed Map does at the tolerance', async () => {
    // 1 of 3 is 33 %, above the percentage the state machine is synthesized with (infra test).
    expect(exceedsTolerance(1, 3, TOLERATED_FAILURE_PERCENTAGE)).toBe(true);
    const { api, runs } = localApi({ invokeShard: secondShardFails() });
    const accepted = await startLocally(api, 120);
    expect(accepted.shards).toBe(3);
    await runs.ended(accepted.sweepId);
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      startDate: new Date(),
      error: TOLERANCE_EXCEEDED_ERROR,
      cause: 'The tolerated failure threshold was exceeded',
    });

    const { there, here } = await getBoth(api, accepted.sweepId);

    expect({ ...here, body: undefined }).toEqual({ ...there, body: undefined });
    expect(here.body).toMatchObject({ status: 'FAILED', error: TOLERANCE_EXCEEDED_ERROR });
    expect(there.body).toMatchObject({ status: 'FAILED', error: TOLERANCE_EXCEEDED_ERROR });
  });

  it('reduces a run with one failed shard of 12 (within the tolerance) and names the shard', async () => {
    expect(exceedsTolerance(1, 12, TOLERATED_FAILURE_PERCENTAGE)).toBe(false);
    const { api, runs } = localApi({ invokeShard: secondShardFails() });
    const accepted = await startLocally(api, 600);
    expect(accepted.shards).toBe(12);
    await runs.ended(accepted.sweepId);

    const result = (await api(getRun(accepted.sweepId), lambdaContext())) as never;

    expect(result).toMatchObject({ statusCode: 200 });
    const response = jsonBody<SweepResponse>(result);
    expect(response).toMatchObject({
      sweepId: accepted.sweepId,
      total: 600,
      complete: false,
      notAttempted: accepted.shardSize,
      failedShards: [
        {
          range: { start: 1 + accepted.shardSize, end: 2 * accepted.shardSize },
          ids: accepted.shardSize,
        },
      ],
    });
  });
});

describe('one run at a time, locally as deployed', () => {
  it('refuses a second run while one runs with 409 run_in_progress naming the running sweep', async () => {
    const { invokeShard, release } = heldShards();
    const { api, runs } = localApi({ invokeShard });
    const first = await startLocally(api, 120);
    sfn.on(ListExecutionsCommand).resolves({
      executions: [{ name: first.sweepId, startDate: new Date() } as never],
    });
    const aws = createHandlers(deployed, { log: quiet });

    const there = seen(
      (await aws.http(postSweeps({ start: 1, end: 120 }), lambdaContext())) as never,
      first.sweepId,
    );
    const here = seen(
      (await api(postSweeps({ start: 1, end: 120 }), lambdaContext())) as never,
      first.sweepId,
    );
    release();
    await runs.ended(first.sweepId);

    const since = /\(since [^)]*\)/;
    const words = (body: Record<string, unknown>) =>
      JSON.stringify(body).replace(since, '(since <time>)');
    expect(here).toMatchObject({ statusCode: 409, body: { error: { code: 'run_in_progress' } } });
    expect(JSON.stringify(here.body)).toContain('<sweepId>');
    expect({ ...here, body: words(here.body) }).toEqual({ ...there, body: words(there.body) });
    const after = await startLocally(api, 120);
    expect(after.sweepId).not.toBe(first.sweepId);
    await runs.ended(after.sweepId);
  });
});

describe('retries, locally as the state machine retries', () => {
  it('sweeps a crashed shard again, so the run completes', async () => {
    const { shard } = createHandlers(local, { log: quiet, poolPerSweep: true });
    const attempts = new Map<number, number>();
    const { api, runs } = localApi({
      invokeShard: async (event, context) => {
        const n = (attempts.get(event.shardStart) ?? 0) + 1;
        attempts.set(event.shardStart, n);
        if (event.shardStart === 1 + event.shardSize && n < 3) throw new Error('Runtime.ExitError');
        return shard(event, context);
      },
    });
    const accepted = await startLocally(api, 120);

    const ended = await runs.ended(accepted.sweepId);

    expect(ended).toMatchObject({ status: 'SUCCEEDED', result: { complete: true, total: 120 } });
    expect(attempts.get(1 + accepted.shardSize)).toBe(3);
    expect(ended?.status === 'SUCCEEDED' && (ended.result.failedShards ?? [])).toEqual([]);
  });

  it('never sweeps again a shard the function refused (NEVER_RETRIED_ERRORS)', async () => {
    expect(NEVER_RETRIED_ERRORS).toContain('InvalidEventError');
    let refused = 0;
    const { shard } = createHandlers(local, { log: quiet, poolPerSweep: true });
    const { api, runs } = localApi({
      invokeShard: async (event, context) => {
        if (event.shardStart !== 1) return shard(event, context);
        refused++;
        throw new InvalidEventError('not a shard event');
      },
    });
    const accepted = await startLocally(api, 120);

    const ended = await runs.ended(accepted.sweepId);

    expect(refused).toBe(1);
    expect(ended).toMatchObject({ status: 'FAILED', error: TOLERANCE_EXCEEDED_ERROR });
  });

  it('merges again after a failed reduce, as the reduce retrier does', async () => {
    let reduces = 0;
    const { runs, api } = localApi({
      onAggregate: () => {
        reduces++;
        if (reduces === 1) throw new Error('S3 went away');
      },
    });
    const accepted = await startLocally(api, 120);

    const ended = await runs.ended(accepted.sweepId);

    expect(reduces).toBe(2);
    expect(ended).toMatchObject({ status: 'SUCCEEDED', result: { total: 120 } });
  });
});

describe('the tolerated-failure arithmetic', () => {
  it.each([
    [0, 3, false],
    [1, 3, true],
    [1, 10, false],
    [2, 10, true],
    [1, 12, false],
    [10, 100, false],
    [11, 100, true],
  ])('%i failed of %i shards fails the run: %s', (failed, total, fails) => {
    expect(exceedsTolerance(failed, total, 10)).toBe(fails);
  });
});
