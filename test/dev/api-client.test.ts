import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { type BuiltCli, buildCli } from '../support/cli.js';
import { behaviours, type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';
import { startSignedApi, TEST_CREDENTIALS, TEST_REGION } from '../support/signed-api.js';

let cli: BuiltCli;
let upstream: FaultUpstream;
let api: Awaited<ReturnType<typeof startSignedApi>>;
let dir: string;
beforeAll(async () => {
  cli = buildCli();
  // Ids above 150 answer 404: a sweep past them is failed, as the verdict says.
  upstream = await startFaultUpstream((id) => behaviours.ok(id > 150 ? 404 : 200), {
    latencyMs: 20,
  });
  // MAX_IDS 50: a range above it is a distributed run (202, then GET /sweeps/{id}).
  const config = loadConfig({
    TARGET_URL_TEMPLATE: upstream.urlTemplate,
    MAX_IDS: '50',
    METRICS_MODE: 'off',
  });
  api = await startSignedApi(config);
  dir = mkdtempSync(join(tmpdir(), 'status-sweep-api-'));
});
afterAll(async () => {
  cli?.remove();
  await api?.close();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SIGNED = {
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken,
  AWS_REGION: TEST_REGION,
  // The credential chain never looks beyond the environment here (no instance metadata).
  AWS_EC2_METADATA_DISABLED: 'true',
};

describe('status-sweep --api URL (the deployed stack)', () => {
  it('completes a single sweep, signed with SigV4, with the same summary and exit code', async () => {
    const run = await cli.run(['--api', `${api.url}/`, '--end', '40'], { env: SIGNED });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK · 40 expected, 0 unexpected/);
    expect(run.stdout).toMatch(/200\s+×40\s+1-40/);
    expect(run.stderr).toMatch(/signed with SigV4 for execute-api in eu-west-1/);
  });

  it('follows a distributed run (202, then polls its statusUrl) to the merged result, in --json', async () => {
    const saved = join(dir, 'run.json');
    const before = api.signed.length;
    const run = await cli.run(['--api', api.url, '--end', '200', '--json', '--save', saved], {
      env: SIGNED,
    });

    expect(run.code).toBe(1); // 151-200 answer 404: failed
    const response = JSON.parse(run.stdout) as SweepResponse;
    expect(response).toMatchObject({
      range: { start: 1, end: 200 },
      statuses: { '200': 150, '404': 50 },
      verdict: 'failed',
      complete: true,
    });
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(response);
    // The POST, then each GET of the statusUrl a Retry-After (1 s here) after the one before.
    const [post, ...polls] = api.signed.slice(before);
    expect(post).toMatchObject({ method: 'POST', path: '/sweeps' });
    expect(polls.length).toBeGreaterThan(0);
    let previous = post?.at ?? 0;
    for (const poll of polls) {
      expect(poll).toMatchObject({ method: 'GET', path: `/sweeps/${response.sweepId}` });
      expect(poll.at - previous).toBeGreaterThanOrEqual(950);
      previous = poll.at;
    }
  });

  it('comes as a bundle of reasonable size, the signer in it', () => {
    const bundle = readFileSync(cli.bundle, 'utf8');

    expect(bundle.length).toBeLessThan(1_400_000); // 1,241,133 bytes on 2026-12-02
    expect(bundle).toContain('AWS4-HMAC-SHA256');
  });

  it('reports JUnit and Markdown from a deployed sweep', async () => {
    const junit = await cli.run(['--api', api.url, '--end', '160', '--format', 'junit'], {
      env: SIGNED,
    });
    const markdown = await cli.run(['--api', api.url, '--end', '10', '--format', 'markdown'], {
      env: SIGNED,
    });

    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(/<failure message="10 unexpected ids">151-160 got 404 ×10/);
    expect(markdown.stdout).toMatch(/^### Status Sweep: OK/);
  });

  it('refuses an invalid request in one line, exit 2, as the API words it', async () => {
    const run = await cli.run(['--api', api.url, '--concurrency', '0'], { env: SIGNED });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/status-sweep: invalid flags: --concurrency must be/);
  });

  it('is refused (403) when signed with the wrong secret, and says so in one line', async () => {
    const before = api.refused;
    const run = await cli.run(['--api', api.url, '--end', '5'], {
      env: { ...SIGNED, AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
    });

    expect(api.refused).toBe(before + 1);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the API refused the request \(403: Forbidden\)/);
    expect(run.stdout).toBe('');
  });

  it('the stand-in refuses an unsigned request, as API Gateway does, and sweeps nothing', async () => {
    const before = upstream.seen.length;
    const response = await fetch(`${api.url}/sweeps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: 1, end: 3 }),
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
    expect(upstream.seen.length).toBe(before);
  });

  it('says in one line, exit 2, that it found no AWS credentials, and sends nothing', async () => {
    const before = api.refused;
    const run = await cli.run(['--api', api.url, '--end', '5'], {
      env: { AWS_REGION: TEST_REGION, AWS_EC2_METADATA_DISABLED: 'true', HOME: dir },
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^status-sweep: --api needs AWS credentials/m);
    expect(run.stderr).not.toMatch(/ {4}at /);
    expect(api.refused).toBe(before);
  });

  it('says in one line that an API it cannot reach is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const run = await cli.run(['--api', `http://127.0.0.1:${port}/`, '--end', '5'], {
      env: SIGNED,
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /status-sweep: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
  });
});
