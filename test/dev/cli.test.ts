import { execFile } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import type { SweepResponse } from '../../lambda/response.js';
import { expectAccountedFor } from '../support/sweep-handler.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

/** `npx tsx dev/cli.ts …` with node_modules/.bin first on PATH, so Node 24 runs it. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
    METRICS_MODE: 'off',
  };
  delete env.TARGET_URL_TEMPLATE;
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'dev/cli.ts', ...args], {
      cwd: ROOT,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let upstream: DemoUpstream;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: 0 });
});
afterAll(() => upstream.close());

describe('npm start', () => {
  it('prints the raw response with --json', async () => {
    const { code, stdout } = await cli([
      '--json',
      '--target',
      upstream.urlTemplate,
      '--start',
      '1020',
      '--end',
      '1030',
      '--retries',
      '0',
    ]);

    expect(code).toBe(0);
    const response = JSON.parse(stdout) as SweepResponse;
    expect(response).toMatchObject({
      trigger: 'api',
      range: { start: 1020, end: 1030 },
      statuses: { '200': 6, '404': 5 },
      complete: true,
    });
    expectAccountedFor(response);
  });

  it('prints a summary for people with counts, percentiles, a histogram and the speed-up', async () => {
    const { code, stdout } = await cli(['--target', upstream.urlTemplate, '--end', '30']);

    expect(code).toBe(0);
    expect(stdout).toMatch(/ids 1-30 \(30\) · complete/);
    expect(stdout).toMatch(/200\s+×30\s+1-30/);
    expect(stdout).toMatch(/p50 .* p99 .* ms/);
    expect(stdout).toMatch(/ms │█/);
    expect(stdout).toMatch(/speed-up .*× over one by one/);
  });

  it.each([
    [['--end', 'abc'], /--end must be an integer/],
    [['--concurrency', '0'], /--concurrency must be an integer from 1 to/],
    [['--nope'], /Unknown option '--nope'/],
    [['--target', 'ftp://example.com/{id}'], /TARGET_URL_TEMPLATE must be an http or https URL/],
  ])('exits non-zero with the message for %j', async (args, message) => {
    const target = args.includes('--target') ? [] : ['--target', upstream.urlTemplate];

    const { code, stderr } = await cli([...target, ...args]);

    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
