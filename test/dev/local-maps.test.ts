import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { type LocalApi, startLocalApi } from '../../dev/local-api.js';
import { withLocalMaps } from '../../dev/local-maps.js';
import { localRuns } from '../../dev/local-runs.js';
import { withLocalRuns } from '../../dev/local-runs-api.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';

let upstream: DemoUpstream;
let api: LocalApi;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: 0 });
  const config = loadConfig({
    TARGET_URL_TEMPLATE: upstream.urlTemplate,
    TARGET_NAME: 'demo',
    METRICS_MODE: 'off',
    MAX_IDS: '50',
  });
  const runs = localRuns(config);
  const dispatch = createHandlers(config, { log: () => undefined, runs }).dispatch;
  api = await startLocalApi({ handler: withLocalMaps(withLocalRuns(dispatch, runs)), port: 0 });
});
afterAll(async () => {
  await api?.close();
  await upstream?.close();
});

describe('GET /sweeps/{id}/map on npm run serve', () => {
  it('answers the id map of a sweep it ran as an HTML page', async () => {
    const swept = await fetch(`${api.url}/sweeps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: 1020, end: 1035 }),
    });
    const { sweepId } = (await swept.json()) as SweepResponse;

    const res = await fetch(`${api.url}/sweeps/${sweepId}/map`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(`sweep ${sweepId}`);
    expect(page).toContain('<title>1026-1035: 404, wrong status</title>');
  });

  it('answers the map of a distributed run once it has finished', async () => {
    const started = await fetch(`${api.url}/sweeps?start=1&end=120&concurrency=10`);
    expect(started.status).toBe(202);
    const { sweepId } = (await started.json()) as { sweepId: string };

    let res = await fetch(`${api.url}/sweeps/${sweepId}/map`);
    for (let i = 0; i < 100 && res.status === 404; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await fetch(`${api.url}/sweeps/${sweepId}/map`);
    }

    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>1-100: 200, met</title>');
  });

  it('answers 404 in the JSON error body for a sweep it did not run', async () => {
    const res = await fetch(`${api.url}/sweeps/00000000-0000-4000-8000-000000000000/map`);

    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { code: 'not_found', message: expect.stringContaining('no finished sweep') },
    });
  });
});
