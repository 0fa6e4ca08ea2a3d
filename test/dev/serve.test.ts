import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { type LocalApi, startLocalApi } from '../../dev/local-api.js';
import { withLocalInvoke } from '../../dev/local-invoke.js';
import { localRuns } from '../../dev/local-runs.js';
import { withLocalRuns } from '../../dev/local-runs-api.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { runNode } from '../support/cli.js';
import { expectAccountedFor } from '../support/sweep-handler.js';

let upstream: DemoUpstream;
let api: LocalApi;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: 0 });
  const config = loadConfig({
    TARGET_URL_TEMPLATE: upstream.urlTemplate,
    METRICS_MODE: 'off',
    MAX_IDS: '50',
  });
  const runs = localRuns(config);
  const { dispatch, invoke } = createHandlers(config, { log: () => undefined, runs });
  const handler = withLocalInvoke(withLocalRuns(dispatch, runs), invoke);
  api = await startLocalApi({ handler, port: 0 });
});
afterAll(async () => {
  await api?.close();
  await upstream?.close();
});

describe('npm run serve', () => {
  it('runs a range above MAX_IDS locally and reports it on GET /sweeps/{id}', async () => {
    const started = await fetch(`${api.url}/sweeps?start=1&end=120&concurrency=10`);

    expect(started.status).toBe(202);
    const accepted = (await started.json()) as {
      sweepId: string;
      statusUrl: string;
      shards: number;
    };
    expect(started.headers.get('location')).toBe(accepted.statusUrl);
    expect(accepted).toMatchObject({ status: 'RUNNING', shards: 3 });
    let res = await fetch(`${api.url}${accepted.statusUrl}`);
    for (let i = 0; i < 100 && res.status === 202; i++) {
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ status: 'RUNNING', progress: { total: 3 } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await fetch(`${api.url}${accepted.statusUrl}`);
    }
    expect(res.status).toBe(200);
    const result = (await res.json()) as SweepResponse;
    expect(result).toMatchObject({
      sweepId: accepted.sweepId,
      total: 120,
      statuses: { '200': 120 },
    });
    expectAccountedFor(result);
  });

  it('answers 404 in the JSON error body for an unknown sweep id', async () => {
    const res = await fetch(`${api.url}/sweeps/00000000-0000-4000-8000-000000000000`);

    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers 400 for a malformed sweep id, as the runs function does', async () => {
    const res = await fetch(`${api.url}/sweeps/not-a-uuid`);

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { details: { id: ['must be a UUID, got "not-a-uuid"'] } },
    });
  });

  it('refuses a range past the distributed limit citing MAX_DISTRIBUTED_IDS, not MAX_IDS', async () => {
    const res = await fetch(`${api.url}/sweeps?start=1&end=2000000`);

    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/MAX_DISTRIBUTED_IDS/);
    expect(error.message).not.toMatch(/MAX_IDS\b/);
  });

  it.each([
    ['a field out of bounds', '{"start":1,"end":5,"concurrency":0}', /concurrency/],
    ['a body that is not JSON', '{"start":', /not JSON/],
  ])('answers POST /invoke with %s by 400 and the reason', async (_, body, reason) => {
    const res = await fetch(`${api.url}/invoke`, { method: 'POST', body });

    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(reason);
  });

  it('names the nearest flag of npm run serve, in one line, exit 2', async () => {
    const { code, stderr } = await runNode(['--import', 'tsx', 'dev/serve.ts', '--prot', '3']);

    expect(code).toBe(2);
    expect(stderr).toMatch(/^status-sweep: unknown flag --prot \(did you mean --port\?\)/);
  });

  it('still sweeps a range within MAX_IDS at once', async () => {
    const res = await fetch(`${api.url}/sweeps?start=1&end=5`);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ total: 5, statuses: { '200': 5 } });
  });

  it('says in one line, without a stack trace, that the port is in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const { code, stderr } = await runNode([
        '--import',
        'tsx',
        'dev/serve.ts',
        '--port',
        String(port),
        '--target',
        upstream.urlTemplate,
      ]);

      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        `status-sweep: port ${port} on 127.0.0.1 is in use; choose another with --port N (0 picks a free one)`,
      ]);
    } finally {
      busy.close();
    }
  });
});
