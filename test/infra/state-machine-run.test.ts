import { rmSync } from 'node:fs';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { SHARD_KIND } from '../../lambda/distributed/messages.js';
import { planFor, runInput } from '../../lambda/distributed/start.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { Trigger } from '../../lambda/ground/options.js';
import {
  type CloudWatchEndpoint,
  startCloudWatchEndpoint,
} from '../support/cloudwatch-endpoint.js';
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';
import { type S3Endpoint, startS3Endpoint } from '../support/s3-endpoint.js';
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '../support/secrets-manager-endpoint.js';
import { RESULTS_BUCKET } from './support/deployed-env.js';
import { emulateDistributedMaps } from './support/distributed-map.js';
import { type EmulatedFunction, LambdaEmulator } from './support/lambda-emulator.js';
import { type SynthesizedStack, synthesizeBundled } from './support/synth-bundles.js';

/**
 * The synthesized state machine, executed: its definition as synthesized, run by an Amazon States
 * Language interpreter (aws-local-stepfunctions), its Lambda tasks the synthesized bundles in
 * emulated execution environments, S3, CloudWatch and Secrets Manager loopback stand-ins. The
 * interpreter runs every state but treats the Distributed Map as an inline Map; only what it
 * ignores is emulated (support/distributed-map.ts says what and cites AWS's pages). Retry waits
 * are shortened to 50 ms; their arithmetic is checked on the definition (distributed.test.ts).
 */

const SHARD_SIZE = 10;
const SECRET = 'sweep/headers';
/** The emulated function timeout: seconds, where the deployed one is two minutes. */
const TIMEOUT_MS = 8_000;
const RETRY_WAIT_MS = 50;

let stack: SynthesizedStack;
let upstream: FaultUpstream;
let s3: S3Endpoint;
let cloudwatch: CloudWatchEndpoint;
let secrets: SecretsManagerEndpoint;
let sweepFn: LambdaEmulator;
let runsFn: LambdaEmulator;

/** A target with a 404 every 7th id and a 500 every 11th, answering in 5 ms. */
const statusOf = (id: number) => (id % 7 === 0 ? 404 : id % 11 === 0 ? 500 : 200);

beforeAll(async () => {
  stack = synthesizeBundled({
    function: { targetHeadersSecret: SECRET },
    distributed: { shardSize: SHARD_SIZE },
  });
  upstream = await startFaultUpstream(
    (id) => ({ type: 'status', status: statusOf(id), body: '{}' }),
    { latencyMs: 5 },
  );
  s3 = await startS3Endpoint();
  cloudwatch = await startCloudWatchEndpoint();
  secrets = await startSecretsManagerEndpoint();
  secrets.put(SECRET, '{"X-Api-Key":"k-run"}');
  const emulated = (fn: SynthesizedStack['sweep']): EmulatedFunction => ({
    name: fn.logicalId,
    modulePath: fn.modulePath,
    timeoutMs: TIMEOUT_MS,
    environment: {
      PATH: process.env.PATH ?? '',
      ...fn.environment,
      // The only changes to the deployed environment: loopback stands in for the target and AWS.
      TARGET_URL_TEMPLATE: upstream.urlTemplate,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    },
  });
  sweepFn = new LambdaEmulator(emulated(stack.sweep));
  runsFn = new LambdaEmulator(emulated(stack.runs));
}, 60_000);

afterAll(async () => {
  await sweepFn?.close();
  await runsFn?.close();
  await upstream?.close();
  await s3?.close();
  await cloudwatch?.close();
  await secrets?.close();
  if (stack) rmSync(stack.outdir, { recursive: true, force: true });
});

beforeEach(() => {
  sweepFn.fault = () => undefined;
  runsFn.fault = () => undefined;
  sweepFn.invocations.length = 0;
  runsFn.invocations.length = 0;
  secrets.faults.length = 0;
});

/** Step Functions' optimized Lambda integration (lambda:invoke): the function's payload, or its error. */
async function lambdaInvoke(input: { FunctionName: string; Payload: unknown }) {
  const fn = { [stack.sweep.arn]: sweepFn, [stack.runs.arn]: runsFn }[input.FunctionName];
  if (fn === undefined) throw new Error(`no function ${input.FunctionName}`);
  return { ExecutedVersion: '$LATEST', Payload: await fn.invoke(input.Payload), StatusCode: 200 };
}

type Execution =
  | { readonly status: 'SUCCEEDED'; readonly output: { sweepId: string; resultKey: string } }
  | { readonly status: 'FAILED'; readonly error: string; readonly cause: string };

/** Runs the synthesized definition on `input` to its end. */
async function execute(input: object): Promise<Execution> {
  const { definition, mapRunEnds } = emulateDistributedMaps(stack.definition, {
    put: (bucket, key, body) => s3.objects.set(`${bucket}/${key}`, body),
  });
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { checkArn: false },
  });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: {
        Shard: lambdaInvoke as never,
        Reduce: lambdaInvoke as never,
        ...(mapRunEnds as Record<string, never>),
      },
      retryIntervalOverrides: { Shard: RETRY_WAIT_MS, Reduce: RETRY_WAIT_MS },
    },
  });
  try {
    return { status: 'SUCCEEDED', output: (await execution.result) as never };
  } catch (error) {
    if (!(error instanceof ExecutionError)) throw error;
    const cause = error.cause as Error;
    return { status: 'FAILED', error: cause.name, cause: cause.message };
  }
}

/** The execution input the sweep function builds for a request of `start..end` (its own plan). */
function inputFor(start: number, end: number) {
  const config = loadConfig(stack.sweep.environment);
  const request = {
    trigger: Trigger.invoke,
    range: { start, end },
    concurrency: 4,
    timeoutMs: 2_000,
    retries: 0,
  };
  return runInput(request, crypto.randomUUID(), planFor(request, config));
}

/** The merged result the reduce kept in the results bucket. */
function keptResult(execution: Execution): SweepResponse & { failedShards: unknown[] } {
  if (execution.status !== 'SUCCEEDED') throw new Error(JSON.stringify(execution));
  const text = s3.objects.get(`${RESULTS_BUCKET}/${execution.output.resultKey}`);
  if (text === undefined) throw new Error('no result kept');
  return JSON.parse(text);
}

/** How many times the shard starting at `start` was invoked. */
const shardInvocations = (start: number) =>
  sweepFn.invocations.filter(
    (e) =>
      (e as { kind?: string; shardStart?: number }).kind === SHARD_KIND &&
      (e as { shardStart: number }).shardStart === start,
  ).length;
const isShard = (start: number) => (event: unknown) =>
  (event as { shardStart?: number }).shardStart === start;

/** The contract fields a run and one sweep of the same ids must agree on. */
const CONTRACT = [
  'range',
  'total',
  'verdict',
  'expected',
  'unexpected',
  'unexpectedIds',
  'complete',
  'statuses',
  'errors',
  'notAttempted',
  'ids',
  'attempts',
  'retries',
] as const;
const contractOf = (response: object) =>
  Object.fromEntries(
    CONTRACT.map((field) => [field, (response as Record<string, unknown>)[field]]),
  );

describe('the synthesized state machine, executed', () => {
  it('merges a 3-shard run into exactly what one sweep of the same ids answers', async () => {
    const execution = await execute(inputFor(1, 30));
    const single = (await sweepFn.invoke({
      start: 1,
      end: 30,
      concurrency: 4,
      retries: 0,
    })) as Record<string, unknown>;

    const merged = keptResult(execution);
    expect(contractOf(merged)).toEqual(contractOf(single));
    expect(merged).toMatchObject({ total: 30, complete: true, failedShards: [] });
    expect([1, 11, 21].map(shardInvocations)).toEqual([1, 1, 1]);
    expect(upstream.seen.at(-1)?.headers['x-api-key']).toBe('k-run');
  });

  it('sweeps again a shard whose runtime crashed once, and the run is whole', async () => {
    sweepFn.fault = (event, earlier) => (isShard(11)(event) && earlier === 0 ? 'crash' : undefined);

    const merged = keptResult(await execute(inputFor(1, 30)));

    expect(shardInvocations(11)).toBe(2);
    expect(merged).toMatchObject({ total: 30, complete: true, notAttempted: 0, failedShards: [] });
  });

  it('never retries a hung shard: its ids are not attempted, one failed shard of ten is tolerated', async () => {
    sweepFn.fault = (event) => (isShard(51)(event) ? 'hang' : undefined);

    const merged = keptResult(await execute(inputFor(1, 100)));

    expect(shardInvocations(51)).toBe(1);
    expect(merged).toMatchObject({
      total: 100,
      complete: false,
      notAttempted: 10,
      failedShards: [{ range: { start: 51, end: 60 }, ids: 10 }],
    });
  }, 60_000);

  it('tolerates one shard of ten that fails for good, after its retry', async () => {
    sweepFn.fault = (event) => (isShard(91)(event) ? 'crash' : undefined);

    const merged = keptResult(await execute(inputFor(1, 100)));

    expect(shardInvocations(91)).toBe(2);
    expect(merged).toMatchObject({
      notAttempted: 10,
      failedShards: [{ range: { start: 91, end: 100 }, ids: 10 }],
    });
  });

  it('fails the run when one shard of three fails for good (over 10 %)', async () => {
    sweepFn.fault = (event) => (isShard(21)(event) ? 'crash' : undefined);

    const execution = await execute(inputFor(1, 30));

    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
    });
    expect(runsFn.invocations).toEqual([]);
  });

  it('invokes a refused shard event once: a retry would be refused again', async () => {
    const input = inputFor(1, 30);
    const refused = { ...input, shardOptions: { ...input.shardOptions, concurrency: 0 } };

    const execution = await execute(refused);

    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
    });
    expect([1, 11, 21].map(shardInvocations)).toEqual([1, 1, 1]);
  });

  it('reduces again after the reduce crashed once, and the run succeeds', async () => {
    runsFn.fault = (_event, earlier) => (earlier === 0 ? 'crash' : undefined);

    const merged = keptResult(await execute(inputFor(1, 30)));

    expect(runsFn.invocations).toHaveLength(2);
    expect(merged).toMatchObject({ total: 30, complete: true, failedShards: [] });
  });

  it('sweeps again a shard whose secret read was throttled, and the run succeeds', async () => {
    // Every warm environment keeps the secret for its max age: only a fresh one reads it.
    await sweepFn.close();
    // The SDK's own attempts (SECRET_READ.attempts) are throttled: the shard fails once.
    secrets.faults.push('throttle', 'throttle');

    const merged = keptResult(await execute(inputFor(1, 10)));

    expect(shardInvocations(1)).toBe(2);
    expect(merged).toMatchObject({ total: 10, complete: true, failedShards: [] });
  });
});
