import { execFile } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAX_ID, type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import type { SweepResponse } from '../../lambda/response.js';
import { expectAccountedFor } from '../support/sweep-handler.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const IDS = 200_000;

let upstream: DemoUpstream;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: 0, jitter: 0 });
});
afterAll(() => upstream.close());

describe('a distributed sweep on the local executor', () => {
  it('sweeps 200,000 ids of the demo upstream in shards and merges them into one verdict', async () => {
    // The CLI runs in its own process (Node 24 from node_modules/.bin), the upstream in this one.
    const { stdout, stderr } = await run(
      'npx',
      [
        'tsx',
        'dev/cli.ts',
        '--start',
        '1',
        '--end',
        String(IDS),
        '--concurrency',
        '64',
        '--retries',
        '0',
        '--target',
        upstream.urlTemplate,
        '--json',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
          METRICS_MODE: 'off',
        },
        timeout: 170_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );

    const response = JSON.parse(stdout) as SweepResponse;
    expectAccountedFor(response);
    expect(response).toMatchObject({
      range: { start: 1, end: IDS },
      total: IDS,
      complete: true,
      statuses: { '200': DEMO_MAX_ID, '404': IDS - DEMO_MAX_ID },
      ids: { '200': `1-${DEMO_MAX_ID}`, '404': `${DEMO_MAX_ID + 1}-${IDS}` },
      notAttempted: 0,
      attempts: IDS,
    });
    expect(response.latencyMs).not.toBeNull();
    expect(upstream.requests()).toBeGreaterThanOrEqual(IDS);
    expect(stderr).toBe('');
  }, 180_000);
});
