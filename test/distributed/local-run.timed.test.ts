import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAX_ID, type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { predictRunMs } from '../../lambda/distributed/plan.js';
import { planFor } from '../../lambda/distributed/start.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS } from '../../lambda/ground/defaults.js';
import { Trigger } from '../../lambda/ground/options.js';
import { RequestLimits } from '../../lambda/request/request-schema.js';
import { expectAccountedFor } from '../support/sweep-handler.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/node/bin/node');
const IDS = 200_000;
/** Enough that shards sharing one pool would queue and show it (the 0 ms upstream hid it). */
const LATENCY_MS = 20;
/**
 * 10 shards of 10 at once: ~5,000 requests per second at 20 ms, which a shared 2-core machine
 * sustains; the plan then predicts ~43 s, and 1.5x of it leaves room for a loaded machine.
 */
const CONCURRENCY = 10;
/** The demo upstream answers like PokéAPI: 200 up to DEMO_MAX_ID, 404 beyond. */
const DEMO_EXPECTATIONS = [
  { ids: `1-${DEMO_MAX_ID}`, statuses: ['2xx'] },
  { ids: `${DEMO_MAX_ID + 1}-`, statuses: [404] },
];

let upstream: DemoUpstream;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: LATENCY_MS, jitter: 0 });
});
afterAll(() => upstream.close());

describe('a distributed sweep on the local executor', () => {
  it('sweeps 200,000 ids at 20 ms in shards with pools of their own, within 1.5x of the plan', async () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')),
    );
    const config = loadConfig({ TARGET_URL_TEMPLATE: upstream.urlTemplate });
    const plan = planFor(
      {
        trigger: Trigger.invoke,
        range: { start: 1, end: IDS },
        concurrency: CONCURRENCY,
        timeoutMs: RequestLimits.timeoutMs.default,
        retries: 0,
      },
      config,
      DEFAULT_FUNCTION_TIMEOUT_MS,
    );
    const predictedMs = predictRunMs(plan, CONCURRENCY, LATENCY_MS);

    // The CLI runs in its own process (Node 24 from node_modules), the upstream in this one.
    const started = performance.now();
    const { stdout } = await run(
      NODE,
      [
        '--import',
        'tsx',
        'dev/cli.ts',
        ...['--start', '1', '--end', String(IDS), '--concurrency', String(CONCURRENCY)],
        ...['--retries', '0', '--target', upstream.urlTemplate, '--json'],
        ...['--expect', JSON.stringify(DEMO_EXPECTATIONS)],
      ],
      {
        cwd: ROOT,
        env: { ...env, METRICS_MODE: 'off' },
        timeout: 170_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const wallMs = performance.now() - started;

    const response = JSON.parse(stdout) as SweepResponse;
    expectAccountedFor(response);
    expect(response).toMatchObject({
      range: { start: 1, end: IDS },
      total: IDS,
      complete: true,
      statuses: { '200': DEMO_MAX_ID, '404': IDS - DEMO_MAX_ID },
      ids: { '200': `1-${DEMO_MAX_ID}`, '404': `${DEMO_MAX_ID + 1}-${IDS}` },
      notAttempted: 0,
      verdict: 'ok',
      unexpected: 0,
      attempts: IDS,
      failedShards: [],
    });
    expect(upstream.requests()).toBeGreaterThanOrEqual(IDS);
    // No queueing behind other shards' requests: the median is the upstream's latency.
    expect(response.latencyMs?.p50).toBeLessThan(LATENCY_MS * 3);
    expect(plan.shards).toBeGreaterThan(plan.atOnce);
    expect(response.durationMs).toBeLessThanOrEqual(1.5 * predictedMs);
    console.info(
      `local run: ${plan.shards} shards of ${plan.shardSize}, ${plan.atOnce} at once; ${response.durationMs} ms against ${predictedMs} ms predicted (wall ${Math.round(wallMs)} ms)`,
    );
  }, 180_000);
});
