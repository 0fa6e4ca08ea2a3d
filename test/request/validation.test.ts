import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../lambda/ground/errors.js';
import {
  directEvent,
  getSweeps,
  httpApiEvent,
  lambdaContext,
  postSweeps,
  scheduleEvent,
} from '../support/events.js';
import { type HandlerUnderTest, handlerOnLoopback, jsonBody } from '../support/sweep-handler.js';

let sut: HandlerUnderTest;
beforeAll(async () => {
  sut = await handlerOnLoopback({ MAX_IDS: '1000', MAX_CONCURRENCY: '64' });
});
afterAll(() => sut.close());

interface ApiCase {
  readonly name: string;
  readonly event: ReturnType<typeof httpApiEvent>;
  readonly status: number;
  readonly code: string;
  /** The fields the details must name, exactly. */
  readonly fields?: readonly string[];
}

const big = { start: 1, end: 2, padding: 'x'.repeat(16 * 1024) };

const apiCases: ApiCase[] = [
  { name: 'malformed JSON', event: postSweeps('{"start":1,'), status: 400, code: 'malformed_json' },
  {
    name: 'a POST without a body',
    event: httpApiEvent({
      method: 'POST',
      path: '/sweeps',
      headers: { 'content-type': 'application/json' },
    }),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'a "__proto__" key',
    event: postSweeps('{"start":1,"end":2,"__proto__":{"x":1}}'),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'a text/plain body',
    event: postSweeps({ start: 1, end: 2 }, { 'content-type': 'text/plain' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a body with no content type',
    event: httpApiEvent({ method: 'POST', path: '/sweeps', body: '{"start":1,"end":2}' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  { name: 'a body over 16 KiB', event: postSweeps(big), status: 413, code: 'payload_too_large' },
  {
    name: 'an array body',
    event: postSweeps([1, 2]),
    status: 400,
    code: 'invalid_request',
    fields: [],
  },
  {
    name: 'a null body',
    event: postSweeps('null'),
    status: 400,
    code: 'invalid_request',
    fields: [],
  },
  {
    name: 'no fields',
    event: postSweeps({}),
    status: 400,
    code: 'invalid_request',
    fields: ['start', 'end'],
  },
  ...(
    [
      ['start below 0', { start: -1, end: 2 }, ['start']],
      ['start not an integer', { start: 1.5, end: 2 }, ['start']],
      ['start as a string', { start: '1', end: 2 }, ['start']],
      ['end before start', { start: 5, end: 4 }, ['end']],
      ['more ids than MAX_IDS', { start: 1, end: 1001 }, ['end']],
      ['concurrency 0', { start: 1, end: 2, concurrency: 0 }, ['concurrency']],
      ['concurrency over MAX_CONCURRENCY', { start: 1, end: 2, concurrency: 65 }, ['concurrency']],
      ['timeoutMs under 100', { start: 1, end: 2, timeoutMs: 99 }, ['timeoutMs']],
      ['timeoutMs over 30 s', { start: 1, end: 2, timeoutMs: 30_001 }, ['timeoutMs']],
      ['retries over 5', { start: 1, end: 2, retries: 6 }, ['retries']],
      ['retries below 0', { start: 1, end: 2, retries: -1 }, ['retries']],
      ['ratePerSecond 0', { start: 1, end: 2, ratePerSecond: 0 }, ['ratePerSecond']],
      ['ratePerSecond as a word', { start: 1, end: 2, ratePerSecond: 'fast' }, ['ratePerSecond']],
      ['timeBudgetMs under 100', { start: 1, end: 2, timeBudgetMs: 50 }, ['timeBudgetMs']],
      ['a schedule name from the API', { start: 1, end: 2, schedule: 'kanto' }, ['schedule']],
      [
        'a target from the caller',
        { start: 1, end: 2, target: 'http://169.254.169.254/{id}' },
        ['target'],
      ],
      [
        'two unknown fields and a bad one',
        { start: 1, end: 2, foo: 1, bar: 2, retries: 9 },
        ['foo', 'bar', 'retries'],
      ],
    ] as const
  ).map(([name, body, fields]) => ({
    name,
    event: postSweeps(body),
    status: 400,
    code: 'invalid_request',
    fields,
  })),
  {
    name: 'a query with a word for start',
    event: getSweeps({ start: 'abc', end: 2 }),
    status: 400,
    code: 'invalid_request',
    fields: ['start'],
  },
  {
    name: 'a query without end',
    event: getSweeps({ start: 1 }),
    status: 400,
    code: 'invalid_request',
    fields: ['end'],
  },
  {
    name: 'a repeated query parameter (joined with a comma)',
    event: httpApiEvent({ method: 'GET', path: '/sweeps?start=1&end=2&start=3' }),
    status: 400,
    code: 'invalid_request',
    fields: ['start'],
  },
  {
    name: 'a GET without a query',
    event: httpApiEvent({ method: 'GET', path: '/sweeps' }),
    status: 400,
    code: 'invalid_request',
    fields: ['start', 'end'],
  },
  {
    name: 'PUT /sweeps',
    event: httpApiEvent({ method: 'PUT', path: '/sweeps' }),
    status: 405,
    code: 'method_not_allowed',
  },
  {
    name: 'DELETE /sweeps/',
    event: httpApiEvent({ method: 'DELETE', path: '/sweeps/' }),
    status: 405,
    code: 'method_not_allowed',
  },
  {
    name: 'GET /',
    event: httpApiEvent({ method: 'GET', path: '/' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'POST /sweeps/1',
    event: httpApiEvent({
      method: 'POST',
      path: '/sweeps/1',
      headers: { 'content-type': 'application/json' },
      body: '{"start":1,"end":2}',
    }),
    status: 404,
    code: 'not_found',
  },
];

describe('bad HTTP requests', () => {
  it.each(apiCases)('answers $name with $status $code', async ({ event, status, code, fields }) => {
    const result = await sut.http(event, lambdaContext());

    expect(result.statusCode).toBe(status);
    const body = jsonBody<{ error: { code: string; message: string; details?: object } }>(result);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
    if (fields) expect(Object.keys(body.error.details ?? {}).sort()).toEqual([...fields].sort());
  });

  it('refuses alarmAfter on the API, where no schedule names it', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 2, alarmAfter: { sweeps: 1, of: 2 } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(result.body).toMatch(/alarmAfter.*is not a known field/);
  });

  it('names the allowed methods on a 405', async () => {
    const result = await sut.http(
      httpApiEvent({ method: 'PATCH', path: '/sweeps' }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(405);
    expect(result.headers?.Allow).toBe('GET, POST');
  });

  it('says what was received and what is expected for a field', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 2, concurrency: 0 }),
      lambdaContext(),
    );

    const body = jsonBody<{ error: { details: Record<string, string[]> } }>(result);
    expect(body.error.details).toEqual({ concurrency: ['must be an integer from 1 to 64, got 0'] });
  });

  it('sends nothing to the target for a bad request', async () => {
    const before = sut.upstream.requests();

    await sut.http(postSweeps({ start: 1, end: 5, bogus: true }), lambdaContext());

    expect(sut.upstream.requests()).toBe(before);
  });
});

describe('bad scheduled and direct invocations', () => {
  it.each([
    ['a schedule input without end', scheduleEvent({ start: 1, schedule: 'kanto' }), ['end']],
    [
      'a schedule with a bad name',
      scheduleEvent({ start: 1, end: 2, schedule: 'no spaces' }),
      ['schedule'],
    ],
    [
      'a schedule alarming after more failed sweeps than it remembers',
      scheduleEvent({ start: 1, end: 2, schedule: 'kanto', alarmAfter: { sweeps: 3, of: 2 } }),
      ['alarmAfter'],
    ],
    [
      'a schedule remembering more sweeps than MAX_ALARM_AFTER_OF',
      scheduleEvent({ start: 1, end: 2, schedule: 'kanto', alarmAfter: { sweeps: 1, of: 11 } }),
      ['alarmAfter.of'],
    ],
    [
      'a direct invoke naming a target',
      directEvent({ start: 1, end: 2, target: 'http://x/{id}' }),
      ['target'],
    ],
    [
      'an EventBridge rule event',
      directEvent({
        version: '0',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        detail: {},
      }),
      ['version', 'detail-type', 'source', 'detail', 'start', 'end'],
    ],
    [
      'a REST API (payload 1.0) event',
      directEvent({ httpMethod: 'POST', path: '/sweeps', body: '{}' }),
      ['httpMethod', 'path', 'body', 'start', 'end'],
    ],
  ] as const)(
    'throws InvalidRequestError for %s, naming each field',
    async (_name, event, fields) => {
      // Through the one Lambda export: an event of no known family is a schedule's or an invoke's.
      const error: unknown = await sut.dispatch(event, lambdaContext()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(InvalidRequestError);
      const details = error instanceof InvalidRequestError ? error.details : {};
      expect(Object.keys(details).sort()).toEqual([...fields].sort());
    },
  );

  it.each([null, 'start=1', 42, [1, 2]])(
    'throws InvalidRequestError for the payload %j',
    async (event) => {
      await expect(sut.invoke(event, lambdaContext())).rejects.toThrow(
        /the request must be a JSON object/,
      );
    },
  );
});

describe('the edges of request input (issue 13, item 10)', () => {
  /** The error body of an HTTP result. */
  const errorOf = (result: Awaited<ReturnType<HandlerUnderTest['http']>>) =>
    jsonBody<{ error: { code: string; message: string; details?: Record<string, string[]> } }>(
      result,
    ).error;

  it('refuses a ratePerSecond under 0.01 with a 400 that states the floor', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 2, ratePerSecond: 1e-300 }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual({
      ratePerSecond: ['must be at least 0.01 (one per 100 s), got 1e-300'],
    });
  });

  it('accepts a ratePerSecond of exactly 0.01', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 1, ratePerSecond: 0.01 }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
  });

  it('refuses a "__proto__" query key as Lambda delivers it (own key from JSON)', async () => {
    const event = JSON.parse(
      JSON.stringify(getSweeps({ start: 1, end: 2 })).replace(
        '"queryStringParameters":{',
        '"queryStringParameters":{"__proto__":"1",',
      ),
    );

    const result = await sut.http(event, lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(Object.entries(errorOf(result).details ?? {})).toEqual([
      ['__proto__', ['is not a known field']],
    ]);
  });

  it('refuses a "__proto__" query key in the events dev/ builds', async () => {
    const result = await sut.http(
      httpApiEvent({ method: 'GET', path: '/sweeps?start=1&end=2&__proto__=1' }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(Object.keys(errorOf(result).details ?? {})).toEqual(['__proto__']);
  });

  it('names a body number too large for a double Infinity, not null', async () => {
    const result = await sut.http(postSweeps('{"start":1,"end":1e400}'), lambdaContext());

    expect(result.statusCode).toBe(400);
    const { details } = errorOf(result);
    expect(Object.keys(details ?? {})).toEqual(['end']);
    expect(details?.end).toContain('must be an integer of at least 0, got Infinity');
    expect(JSON.stringify(details)).not.toContain('null');
  });

  it('says what the caller wrote for a query number too large for a double', async () => {
    const result = await sut.http(getSweeps({ start: 1, end: '1e400' }), lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual({
      end: ['must be an integer of at least 0, got "1e400"'],
    });
  });

  it.each([
    ['an object', { start: 1, end: 2 }],
    ['a number', 42],
    ['an array', [1, 2]],
  ])('answers a hand-made HTTP event whose body is %s with 400', async (kind, body) => {
    const event = { ...postSweeps({}), body } as unknown as ReturnType<typeof postSweeps>;

    const result = await sut.dispatch(event, lambdaContext());

    expect(result).toMatchObject({ statusCode: 400 });
    const error = errorOf(result as Awaited<ReturnType<HandlerUnderTest['http']>>);
    expect(error.code).toBe('invalid_request');
    expect(error.details).toEqual({ body: [`must be a string (the JSON text), got ${kind}`] });
  });

  it.each([
    ['an array nested 8,000 deep', `${'['.repeat(8000)}${']'.repeat(8000)}`],
    ['a field nested 33 deep', `{"start":1,"end":2,"x":${'{"a":'.repeat(32)}1${'}'.repeat(32)}}`],
  ])('refuses %s with a 400 that states the depth limit', async (_name, body) => {
    const result = await sut.http(postSweeps(body), lambdaContext());

    expect(result.statusCode).toBe(400);
    const error = errorOf(result);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/at most 32 deep/);
    expect(error.message).not.toMatch(/call stack/);
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const result = await sut.http(
      postSweeps(`{"start":1,"end":2,"x":"${'['.repeat(100)}\\"{{{"}`),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual({ x: ['is not a known field'] });
  });
});
