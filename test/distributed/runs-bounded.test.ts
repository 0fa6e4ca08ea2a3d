import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunsHandlers } from '../../lambda/entry/runs.js';
import { httpApiEvent, lambdaContext } from '../support/events.js';
import { type S3Endpoint, startS3Endpoint } from '../support/s3-endpoint.js';

const BUCKET = 'status-sweep-results';
const SWEEP_ID = '0b7e2c3e-4f0a-4c1e-9a53-8d2f1e6b7a90';
const sfn = mockClient(SFNClient);

let s3: S3Endpoint;
let runs: RunsHandlers;

beforeAll(async () => {
  s3 = await startS3Endpoint();
  // The real S3 client on loopback: its module reads the endpoint when first imported.
  vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.url);
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  const [{ createRunsHandlers }, { loadConfig }] = await Promise.all([
    import('../../lambda/entry/runs.js'),
    import('../../lambda/ground/config.js'),
  ]);
  runs = createRunsHandlers(
    loadConfig({
      TARGET_URL_TEMPLATE: 'http://127.0.0.1:9/{id}',
      TARGET_NAME: 'demo',
      METRICS_MODE: 'off',
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:StatusSweepRuns',
      RESULTS_BUCKET: BUCKET,
    }),
    { log: () => undefined },
  );
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await s3.close();
});

describe('GET /sweeps/{id} when S3 sends headers and then stalls', () => {
  it('answers 503 with Retry-After by its deadline, not when S3 gives up', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', startDate: new Date(0) });
    const key = `${BUCKET}/results/${SWEEP_ID}.json`;
    s3.objects.set(key, JSON.stringify({ sweepId: SWEEP_ID, total: 3 }));
    s3.stalls.add(key);
    const started = Date.now();

    // 5 s left, less the 3 s response margin: the reads have 2 s.
    const result = await runs.http(
      httpApiEvent({ method: 'GET', path: `/sweeps/${SWEEP_ID}` }),
      lambdaContext({ remainingMs: 5_000 }),
    );

    expect(result).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '5' } });
    expect(JSON.parse(result.body ?? '{}')).toEqual({
      error: {
        code: 'service_unavailable',
        message: `the state of sweep ${SWEEP_ID} could not be read in time; ask again`,
      },
    });
    // Generous for a loaded machine: the deadline is 2 s away, the test's timeout 30 s.
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});
