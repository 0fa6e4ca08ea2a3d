import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers, type SweepHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { directEvent, lambdaContext, postSweeps } from '../support/events.js';
import { type LoopbackServer, listenOnLoopback } from '../support/loopback-server.js';
import { jsonBody, swept } from '../support/sweep-handler.js';

/** An upstream on loopback answering `statusOf(id)` after 2 ms, remembering the paths it saw. */
async function upstream(statusOf: (id: number) => number) {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    const id = Number(/(\d+)$/.exec(req.url ?? '')?.[1]);
    setTimeout(() => res.writeHead(statusOf(id)).end('{}'), 2);
  });
  const loopback: LoopbackServer = await listenOnLoopback(server);
  return { ...loopback, paths };
}

let prod: Awaited<ReturnType<typeof upstream>>;
let canary: Awaited<ReturnType<typeof upstream>>;
let handlers: SweepHandlers;
beforeAll(async () => {
  prod = await upstream(() => 200);
  // The canary lost ids 98-100: the one range a comparison must name.
  canary = await upstream((id) => (id >= 98 && id <= 100 ? 404 : 200));
  const config = loadConfig({
    TARGET_NAME: 'prod',
    TARGET_URL_TEMPLATE: `${prod.url}/items/{id}`,
    ADDITIONAL_TARGETS: JSON.stringify([
      {
        name: 'canary',
        urlTemplate: `${canary.url}/v2/items/{id}`,
        expect: [{ ids: '98-100', statuses: [404] }, { statuses: ['2xx'] }],
        defaults: { concurrency: 4 },
      },
    ]),
    METRICS_MODE: 'off',
  });
  handlers = createHandlers(config, { log: () => {} });
});
afterAll(async () => {
  await prod.close();
  await canary.close();
});

const post = async (body: unknown) => {
  const result = await handlers.http(postSweeps(body), lambdaContext());
  return {
    statusCode: result.statusCode,
    body: jsonBody<SweepResponse & { error?: { message: string } }>(result),
  };
};

describe('targets by name', () => {
  it('sweeps the first target when a request names none', async () => {
    const { statusCode, body } = await post({ start: 1, end: 5 });

    expect(statusCode).toBe(200);
    expect(body.target).toBe('prod');
    expect(prod.paths).toContain('/items/5');
  });

  it("sweeps the named target's template with its own rules and defaults", async () => {
    const { statusCode, body } = await post({ target: 'canary', start: 95, end: 104 });

    expect(statusCode).toBe(200);
    expect(body).toMatchObject({ target: 'canary', verdict: 'ok', unexpected: 0 });
    expect(body.ids).toEqual({ '200': '95-97,101-104', '404': '98-100' });
    expect(canary.paths).toContain('/v2/items/99');
  });

  it('answers 400 naming the deployed targets, and the nearest, for an unknown one', async () => {
    const { statusCode, body } = await post({ target: 'canery', start: 1, end: 5 });

    expect(statusCode).toBe(400);
    expect(body.error?.message).toContain(
      'target must be one of the deployed targets (prod, canary), got "canery" (did you mean "canary"?)',
    );
  });

  it('takes the target from a schedule or invoke event too', async () => {
    const outcome = await handlers.invoke(
      directEvent({ target: 'canary', start: 1, end: 3 }),
      lambdaContext(),
    );
    expect(swept(outcome).target).toBe('canary');
  });
});

describe('two targets compared id by id', () => {
  it('returns exactly the range whose outcome differs, and fails beyond maxDifferences', async () => {
    const { statusCode, body } = await post({
      start: 1,
      end: 200,
      compareTarget: 'canary',
    });

    expect(statusCode).toBe(200);
    expect(body.compareTarget).toBe('canary');
    expect(body.differences).toEqual({ count: 3, transitions: { '200→404': '98-100' } });
    expect(body.verdict).toBe('failed');
  });

  it('passes when the differences are within maxDifferences', async () => {
    const { body } = await post({
      start: 90,
      end: 110,
      compareTarget: 'canary',
      maxDifferences: 3,
    });

    expect(body.differences?.count).toBe(3);
    expect(body.verdict).toBe('ok');
  });

  it('refuses to compare a target with itself', async () => {
    const { statusCode, body } = await post({ start: 1, end: 5, compareTarget: 'prod' });

    expect(statusCode).toBe(400);
    expect(body.error?.message).toContain('compareTarget must name another target');
  });
});
