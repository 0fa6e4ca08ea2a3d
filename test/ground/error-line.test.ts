import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalApi } from '../../dev/local-api.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import {
  atColdStart,
  errorFields,
  errorText,
  hideFromLogs,
  stackless,
} from '../../lambda/ground/error-line.js';
import { NEVER_RETRIED_ERRORS } from '../../lambda/ground/errors.js';
import type { LogLine } from '../../lambda/ground/log.js';
import { lambdaContext, postSweeps } from '../support/events.js';

/** A stack frame, or a path to one of our source or bundle files with a line number. */
const STACK_OR_PATH = /^\s+at |\n\s+at |(?:\/|\\)[\w.-]+\.(?:ts|js|mjs|cjs):\d+/m;

const config = loadConfig({
  TARGET_URL_TEMPLATE: 'http://127.0.0.1:9/items/{id}',
  METRICS_MODE: 'off',
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('errors in log lines', () => {
  it('logs a 500 as the error and its causes by name and one-line message, never a stack', async () => {
    const lines: LogLine[] = [];
    const broken = createHandlers(config, {
      log: (line) => lines.push(line),
      onAggregate: () => {
        const socket = new Error('connect ECONNREFUSED\n  detail on a second line');
        throw new TypeError('cannot read properties of undefined', { cause: socket });
      },
    });

    const result = await broken.http(postSweeps({ start: 1, end: 1 }), lambdaContext());

    expect(result.statusCode).toBe(500);
    const internal = lines.find((line) => line.message === 'internal error');
    expect(internal?.error).toEqual({
      name: 'TypeError',
      message: 'cannot read properties of undefined',
      causes: [{ name: 'Error', message: 'connect ECONNREFUSED detail on a second line' }],
    });
    for (const line of lines) expect(JSON.stringify(line)).not.toMatch(STACK_OR_PATH);
  });

  it('cuts URLs and registered header values out of messages, as error samples do', () => {
    hideFromLogs(['s3cr3t-token-value']);
    const error = new Error(
      'GET https://user:pw@example.test/items/7?key=abc refused with Bearer s3cr3t-token-value',
    );

    const fields = errorFields(new Error('shard failed', { cause: error }));

    expect(JSON.stringify(fields)).not.toMatch(/example\.test|s3cr3t|key=abc/);
    expect(fields.causes?.[0]?.message).toBe('GET <url> refused with Bearer <redacted>');
    expect(errorText(error)).toBe('Error: GET <url> refused with Bearer <redacted>');
  });

  it('describes a thrown non-error by its type, and stops at a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;

    expect(errorFields('plain text')).toEqual({ name: 'string', message: 'plain text' });
    expect(errorFields(b).causes).toEqual([{ name: 'Error', message: 'a' }]);
  });

  it('throws a refused shard event on with its name and message and a one-line stack, which the runtime logs', async () => {
    const handler = stackless(createHandlers(config, { log: () => undefined }).dispatch);

    const thrown = await handler({ kind: 'shard', sweepId: 'x' }, lambdaContext()).then(
      () => undefined,
      (error: unknown) => error as Error,
    );

    expect(thrown?.name).toBe('InvalidEventError');
    expect(NEVER_RETRIED_ERRORS).toContain(thrown?.name);
    expect(thrown?.stack).toBe(`InvalidEventError: ${thrown?.message}`);
    expect(String(thrown?.stack)).not.toMatch(STACK_OR_PATH);
  });

  it('throws a bad setting at cold start with a one-line stack, which the runtime logs as its init error', () => {
    const thrown = (() => {
      try {
        atColdStart(() => loadConfig({ TARGET_URL_TEMPLATE: 'https://x/' }));
      } catch (error) {
        return error as Error;
      }
    })();

    expect(thrown?.name).toBe('ConfigError');
    expect(thrown?.message).toContain('TARGET_URL_TEMPLATE');
    expect(String(thrown?.stack)).not.toMatch(STACK_OR_PATH);
  });

  it("prints a local handler's failure as one line with the request id, no stack", async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    const api = await startLocalApi({
      handler: async () => {
        throw new RangeError('bad state');
      },
      port: 0,
    });
    try {
      const res = await fetch(`${api.url}/sweeps`, { method: 'POST', body: '{}' });

      expect(res.status).toBe(500);
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatch(
        /^status-sweep: the handler failed \(request id [0-9a-f-]{36}\): RangeError: bad state$/,
      );
    } finally {
      await api.close();
    }
  });
});
