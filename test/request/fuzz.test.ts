import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { InvalidRequestError } from '../../lambda/ground/errors.js';
import { httpApiEvent, lambdaContext } from '../support/events.js';
import {
  expectAccountedFor,
  type HandlerUnderTest,
  handlerOnLoopback,
  jsonBody,
  swept,
} from '../support/sweep-handler.js';

/** ≥ 200 cases per property, as the issue asks. */
const RUNS = 200;
const FIELDS = [
  'start',
  'end',
  'concurrency',
  'timeoutMs',
  'retries',
  'ratePerSecond',
  'timeBudgetMs',
  'schedule',
];

let sut: HandlerUnderTest;
beforeAll(async () => {
  // MAX_IDS 20 keeps every valid case small; the loopback upstream answers at once.
  sut = await handlerOnLoopback({ MAX_IDS: '20', RESPONSE_MARGIN_MS: '0' });
});
afterAll(() => sut.close());

/** Values near and far from what each field accepts. */
const fieldValue = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.integer({ min: 1000, max: 1030 }),
  fc.constantFrom(0, 99, 100, 256, 257, 30_000, 30_001, 1e21, -0, 0.5, 1.5),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(null, true, false, [], {}, '7', 'kanto'),
);
const knownKey = fc.constantFrom(...FIELDS);
const anyKey = fc.oneof(
  knownKey,
  knownKey,
  fc.string({ maxLength: 6 }),
  fc.constantFrom('__proto__', 'constructor', 'target'),
);
const requestObject = fc.dictionary(anyKey, fieldValue, { maxKeys: 6 });
/** A small range that is valid, so that some cases sweep for real. */
const validCore = fc
  .tuple(fc.integer({ min: 0, max: 1030 }), fc.integer({ min: 0, max: 19 }))
  .map(([start, span]) => ({ start, end: start + span }));
const requestLike = fc.oneof(
  requestObject,
  fc.tuple(validCore, requestObject).map(([core, extra]) => ({ ...extra, ...core })),
  validCore,
  fc.jsonValue(),
);

const rawBody = fc.oneof(
  requestLike.map((v) => JSON.stringify(v) ?? ''),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '{', '{"start":1,"end":2', '{"__proto__":{}}', 'null', '[]'),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/vnd.api+json',
  '',
);
const method = fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS');
const path = fc.constantFrom('/sweeps', '/sweeps/', '/', '/sweeps/1', '/Sweeps');
const queryString = fc.oneof(
  requestLike.map((v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? new URLSearchParams(
          Object.entries(v).map(([k, x]): [string, string] => [k, String(x)]),
        ).toString()
      : '',
  ),
  fc.string({ maxLength: 30 }).map(encodeURI),
);

/** A short invocation bounds every case, however slow a valid request would be (ratePerSecond 0.01). */
const context = () => lambdaContext({ remainingMs: 1_500 });

async function expectBelow500(event: ReturnType<typeof httpApiEvent>): Promise<void> {
  const result = await sut.http(event, context());
  expect(result.statusCode).toBeLessThan(500);
  if (result.statusCode === 200) expectAccountedFor(jsonBody<SweepResponse>(result));
  else
    expect(jsonBody(result)).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String) },
    });
}

describe('fuzzing the HTTP API', () => {
  it('never answers a body with 500 or more', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        contentType,
        rawBody,
        fc.boolean(),
        async (m, p, type, body, b64) => {
          await expectBelow500(
            httpApiEvent({
              method: m,
              path: p,
              headers: type ? { 'content-type': type } : {},
              body: b64 ? Buffer.from(body).toString('base64') : body,
              isBase64Encoded: b64,
            }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never answers a query string with 500 or more', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, async (qs) => {
        await expectBelow500(httpApiEvent({ method: 'GET', path: `/sweeps?${qs}` }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzzing schedules and direct invokes', () => {
  it('either sweeps with every id accounted for or throws InvalidRequestError', async () => {
    await fc.assert(
      fc.asyncProperty(requestLike, async (event) => {
        try {
          expectAccountedFor(swept(await sut.invoke(event, context())));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidRequestError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
