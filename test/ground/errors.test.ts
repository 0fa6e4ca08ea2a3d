import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../lambda/entry/handler.js';
import { createRunsHandlers } from '../../lambda/entry/runs.js';
import { loadConfig } from '../../lambda/ground/config.js';
import * as errors from '../../lambda/ground/errors.js';
import { NEVER_RETRIED_ERRORS, RETRYABLE_ERRORS } from '../../lambda/ground/errors.js';
import { lambdaContext } from '../support/events.js';

const config = loadConfig({
  TARGET_URL_TEMPLATE: 'http://127.0.0.1:9/items/{id}',
  TARGET_NAME: 'errors',
  METRICS_MODE: 'off',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:StatusSweep',
  RESULTS_BUCKET: 'status-sweep-results',
});
const quiet = { log: () => undefined };

/** The name of what `run` throws. */
async function thrownName(run: () => Promise<unknown>): Promise<string> {
  const error: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('nothing was thrown');
  return error.name;
}

describe('the errors the state machine must never retry', () => {
  it('classify every error class of lambda/errors.ts as never retried or retryable, once', () => {
    const classes = Object.values(errors as Record<string, unknown>)
      .filter((value): value is { name: string; prototype: unknown } => {
        return typeof value === 'function' && value.prototype instanceof Error;
      })
      .map((cls) => cls.name)
      // InputError is abstract: its subclasses are what is thrown.
      .filter((name) => name !== 'InputError');

    const classified = [...NEVER_RETRIED_ERRORS, ...RETRYABLE_ERRORS];
    // A caller's bad input, a compared baseline's error and a refused second run (the sweep
    // function's API and invoke path) never leave a task.
    const neverFromTasks = ['InvalidRequestError', 'InvalidBaselineError', 'RunInProgressError'];

    expect([...classified, ...neverFromTasks].sort()).toEqual([...classes].sort());
    expect(new Set(classified).size).toBe(classified.length);
  });

  it('hold what the sweep function throws for a malformed shard event', async () => {
    const { dispatch } = createHandlers(config, quiet);
    const event = { kind: 'shard', sweepId: 'x', shardStart: 1, shardSize: 0, rangeEnd: 9 };

    const name = await thrownName(async () => dispatch(event, lambdaContext()));

    expect(NEVER_RETRIED_ERRORS).toContain(name);
  });

  it('hold what the runs function throws for a malformed reduce event or an unknown one', async () => {
    const { dispatch } = createRunsHandlers(config, quiet);

    for (const event of [{ kind: 'reduce', run: {} }, { kind: 'mystery' }]) {
      const name = await thrownName(async () => dispatch(event, lambdaContext()));
      expect(NEVER_RETRIED_ERRORS).toContain(name);
    }
  });

  it('hold what a function throws at cold start for a bad setting', () => {
    expect(() => loadConfig({ TARGET_METHOD: 'POST' })).toThrow(errors.ConfigError);
    expect(NEVER_RETRIED_ERRORS).toContain(errors.ConfigError.name);
  });
});
