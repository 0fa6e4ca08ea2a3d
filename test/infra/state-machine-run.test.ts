import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneLine } from '../../lambda/distributed/failure.js';
import { SHARD_KIND } from '../../lambda/distributed/messages.js';
import { type ExecutedStack, startExecutedStack } from './support/executed-stack.js';

/**
 * The synthesized state machine, executed: its definition as synthesized, run by an Amazon States
 * Language interpreter (aws-local-stepfunctions), its Lambda tasks the synthesized bundles in
 * emulated execution environments, S3, CloudWatch and Secrets Manager loopback stand-ins. The
 * interpreter runs every state but treats the Distributed Map as an inline Map; only what it
 * ignores is emulated (support/distributed-map.ts says what and cites AWS's pages). Retry waits
 * are shortened to 50 ms; their arithmetic is checked on the definition (distributed.test.ts).
 */

let stack: ExecutedStack;

beforeAll(async () => {
  stack = await startExecutedStack({
    shardSize: 10,
    // Seconds, where the deployed function has two minutes: a hung shard costs this much.
    timeoutMs: 8_000,
    // A 404 every 7th id and a 500 every 11th.
    target: (id) => ({
      type: 'status',
      status: id % 7 === 0 ? 404 : id % 11 === 0 ? 500 : 200,
      body: '{}',
    }),
  });
}, 60_000);
afterAll(() => stack?.close());

beforeEach(() => {
  for (const fn of [stack.sweepFn, stack.runsFn]) {
    fn.fault = () => undefined;
    fn.invocations.length = 0;
  }
  stack.secrets.faults.length = 0;
});

const execute = (input: object) => stack.execute(input);
const inputFor = (start: number, end: number) => stack.inputFor(start, end);
const keptResult: ExecutedStack['keptResult'] = (execution) => stack.keptResult(execution);

/** How many times the shard starting at `start` was invoked. */
const shardInvocations = (start: number) =>
  stack.sweepFn.invocations.filter(
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
  'flaky',
  'flakyIds',
  'confirm',
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
    const single = (await stack.sweepFn.invoke({
      start: 1,
      end: 30,
      concurrency: 4,
      retries: 0,
    })) as Record<string, unknown>;

    const merged = keptResult(execution);
    expect(contractOf(merged)).toEqual(contractOf(single));
    expect(merged).toMatchObject({ total: 30, complete: true, failedShards: [] });
    expect([1, 11, 21].map(shardInvocations)).toEqual([1, 1, 1]);
    expect(stack.upstream.seen.at(-1)?.headers['x-api-key']).toBe('k-run');
  });

  it('sweeps again a shard whose runtime crashed once, and the run is whole', async () => {
    stack.sweepFn.fault = (event, earlier) =>
      isShard(11)(event) && earlier === 0 ? 'crash' : undefined;

    const merged = keptResult(await execute(inputFor(1, 30)));

    expect(shardInvocations(11)).toBe(2);
    expect(merged).toMatchObject({ total: 30, complete: true, notAttempted: 0, failedShards: [] });
  });

  it('never retries a hung shard: its ids are not attempted, one failed shard of ten is tolerated', async () => {
    stack.sweepFn.fault = (event) => (isShard(51)(event) ? 'hang' : undefined);

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
    stack.sweepFn.fault = (event) => (isShard(91)(event) ? 'crash' : undefined);

    const merged = keptResult(await execute(inputFor(1, 100)));

    expect(shardInvocations(91)).toBe(2);
    expect(merged).toMatchObject({
      notAttempted: 10,
      failedShards: [{ range: { start: 91, end: 100 }, ids: 10 }],
    });
  });

  it('fails the run when one shard of three fails for good (over 10 %)', async () => {
    stack.sweepFn.fault = (event) => (isShard(21)(event) ? 'crash' : undefined);

    const execution = await execute(inputFor(1, 30));

    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
    });
    expect(stack.runsFn.invocations).toEqual([]);
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
    stack.runsFn.fault = (_event, earlier) => (earlier === 0 ? 'crash' : undefined);

    const merged = keptResult(await execute(inputFor(1, 30)));

    expect(stack.runsFn.invocations).toHaveLength(2);
    expect(merged).toMatchObject({ total: 30, complete: true, failedShards: [] });
  });

  it('never retries a reduce that refuses its event, and the failed run says why in one line', async () => {
    const input = inputFor(1, 10);
    const refused = { ...input, run: { ...input.run, trigger: 'carrier-pigeon' } };

    const execution = await execute(refused);

    expect(stack.runsFn.invocations).toHaveLength(1);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidEventError' });
    // Step Functions' cause is the Lambda payload, trace included; a caller sees one line of it.
    const { cause } = execution as { cause: string };
    expect(JSON.parse(cause)).toHaveProperty('trace');
    expect(oneLine(cause)).toMatch(/^invalid reduce event: run\.trigger /);
    expect(oneLine(cause)).not.toMatch(/\bat |index\.mjs|trace/);
  });

  it('sweeps again a shard whose secret read was throttled, and the run succeeds', async () => {
    // Every warm environment keeps the secret for its max age: only a fresh one reads it.
    await stack.sweepFn.close();
    // The SDK's own attempts (SECRET_READ.attempts) are throttled: the shard fails once.
    stack.secrets.faults.push('throttle', 'throttle');

    const merged = keptResult(await execute(inputFor(1, 10)));

    expect(shardInvocations(1)).toBe(2);
    expect(merged).toMatchObject({ total: 10, complete: true, failedShards: [] });
  });
});
