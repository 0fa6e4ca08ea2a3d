import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, type SweepHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { lambdaContext, postSweeps } from '../support/events.js';
import { type LoopbackServer, listenOnLoopback } from '../support/loopback-server.js';
import { jsonBody } from '../support/sweep-handler.js';

let upstream: LoopbackServer;
let handlers: SweepHandlers;
beforeAll(async () => {
  upstream = await listenOnLoopback(
    createServer((_req, res) => setTimeout(() => res.writeHead(200).end('{}'), 2)),
  );
  const config = loadConfig({
    TARGET_NAME: 'prod',
    TARGET_URL_TEMPLATE: `${upstream.url}/items/{id}`,
    ADDITIONAL_TARGETS: JSON.stringify([
      { name: 'canary', urlTemplate: `${upstream.url}/v2/items/{id}` },
    ]),
    SCHEDULE_NAMES: 'prod-hourly,canary-hourly',
    SCHEDULE_TARGETS: 'canary-hourly=canary',
    METRICS_MODE: 'off',
  });
  handlers = createHandlers(config, { log: () => undefined });
});
afterAll(() => upstream.close());

const post = async (body: unknown) => {
  const result = await handlers.http(postSweeps(body), lambdaContext());
  return { statusCode: result.statusCode, body: jsonBody<{ error?: { message: string } }>(result) };
};

describe('compareWith a schedule of another target', () => {
  it('is refused with one line naming both targets', async () => {
    const { statusCode, body } = await post({
      target: 'canary',
      compareWith: 'prod-hourly',
      start: 1,
      end: 5,
    });

    expect(statusCode).toBe(400);
    expect(body.error?.message).toContain(
      'compareWith names schedule "prod-hourly" of target "prod", but this sweep is of target "canary"',
    );
    expect(body.error?.message).not.toContain('\n');
  });

  it('is refused for the first target too', async () => {
    const { statusCode, body } = await post({ compareWith: 'canary-hourly', start: 1, end: 5 });

    expect(statusCode).toBe(400);
    expect(body.error?.message).toContain(
      'names schedule "canary-hourly" of target "canary", but this sweep is of target "prod"',
    );
  });

  it('is accepted for a schedule of the target swept', async () => {
    const results = await Promise.all([
      post({ target: 'canary', compareWith: 'canary-hourly', start: 1, end: 5 }),
      post({ compareWith: 'prod-hourly', start: 1, end: 5 }),
    ]);

    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
  });
});
