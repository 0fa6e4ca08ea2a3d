import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { folderStore } from '../../dev/folder-store.js';
import { formatSummary } from '../../dev/summary.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { lambdaContext, postSweeps } from '../support/events.js';

let upstream: DemoUpstream;
let dir: string;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: 1, jitter: 0 });
  dir = await mkdtemp(join(tmpdir(), 'summary-'));
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the human summary', () => {
  it('says why a comparison that was asked for was not made', async () => {
    await writeFile(join(dir, 'nightly.json'), '{"not": "a sweep"');
    const config = loadConfig({
      TARGET_URL_TEMPLATE: upstream.urlTemplate,
      METRICS_MODE: 'off',
      SCHEDULE_NAMES: 'nightly',
    });
    const h = createHandlers(config, { log: () => undefined, baselines: folderStore(dir) });

    const result = await h.http(
      postSweeps({ start: 1, end: 3, compareWith: 'nightly' }),
      lambdaContext(),
    );
    const response = JSON.parse(String(result.body)) as SweepResponse;

    expect(response.changes).toBeNull();
    expect(formatSummary(response)).toMatch(
      /^ *changes +not compared: nightly's baseline is invalid: .*not valid JSON/m,
    );
  });
});
