import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES } from '../../infra/bundle-budget.js';
import { REPO_ROOT } from '../../infra/constructs/node-function.js';
import { deployedBuild } from '../infra/support/bundle.js';
import { met, sweepOf } from '../support/id-map-sweeps.js';
import { type S3Endpoint, startS3Endpoint } from '../support/s3-endpoint.js';

const run = promisify(execFile);
const RUNNER = join(REPO_ROOT, 'test/infra/support/invoke-asset.mjs');
const BUCKET = 'status-sweep-results';

let dir: string;
let bundle: string;
let s3: S3Endpoint;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'status-sweep-widget-'));
  bundle = join(dir, 'index.mjs');
  await build(deployedBuild(BUNDLES.widget.entry, { outfile: bundle }));
  s3 = await startS3Endpoint();
});
afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the widget bundle', () => {
  it("answers a schedule's id map in a fresh Node process, as the runtime would run it", async () => {
    const baseline = sweepOf({ start: 1, end: 151 }, (id) =>
      id > 140 ? { key: 'timeout', unexpected: true } : met,
    );
    s3.objects.set(`${BUCKET}/baselines/kanto.json`, JSON.stringify(baseline));
    const eventPath = join(dir, 'event.json');
    const resultPath = join(dir, 'result.json');
    await writeFile(
      eventPath,
      JSON.stringify({ schedule: 'kanto', widgetContext: { params: { schedule: 'kanto' } } }),
    );

    await run(process.execPath, [RUNNER, bundle, eventPath, resultPath], {
      env: {
        PATH: process.env.PATH ?? '',
        RESULTS_BUCKET: BUCKET,
        SCHEDULE_NAMES: 'kanto',
        AWS_ENDPOINT_URL_S3: s3.url,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        AWS_LAMBDA_FUNCTION_NAME: 'status-sweep-id-map',
      },
    });
    const outcome = JSON.parse(await readFile(resultPath, 'utf8')) as {
      result?: string;
      error?: unknown;
    };

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toContain('<title>141-151: timeout, error</title>');
  });
});
