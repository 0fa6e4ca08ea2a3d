import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { type LocalApi, startLocalApi } from '../../dev/local-api.js';
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
  const handler = withLocalRuns(
    createHandlers(config, { log: () => undefined, runs }).dispatch,
    runs,
  );
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
