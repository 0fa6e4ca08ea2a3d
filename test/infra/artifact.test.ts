import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SWEEP_BUNDLE_BUDGET_BYTES } from '../../infra/bundle-budget.js';
import { MetricName } from '../../lambda/metrics/names.js';
import {
  type CloudWatchEndpoint,
  startCloudWatchEndpoint,
} from '../support/cloudwatch-endpoint.js';
import {
  type EventBridgeEndpoint,
  startEventBridgeEndpoint,
} from '../support/eventbridge-endpoint.js';
import { postSweeps, scheduleEvent } from '../support/events.js';
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';
import { type S3Endpoint, startS3Endpoint } from '../support/s3-endpoint.js';
import {
  GET_SECRET_VALUE_TARGET,
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '../support/secrets-manager-endpoint.js';
import { deployedEnvironment, RESULTS_BUCKET } from './support/deployed-env.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules', '.bin');
const RUNNER = join(import.meta.dirname, 'support', 'invoke-asset.mjs');
const SCHEDULE = { name: 'artifact', expression: 'rate(1 day)', start: 1, end: 20 };
/** Ids 1..15 exist upstream; the rest answer 404. */
const LAST_EXISTING_ID = 15;

/** Only what a process needs to run tools offline: no AWS credentials, no instance metadata. */
const toolEnv = {
  PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}`,
  HOME: process.env.HOME ?? tmpdir(),
  AWS_EC2_METADATA_DISABLED: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_DISABLE_VERSION_CHECK: 'true',
};

interface Synthesized {
  readonly modulePath: string;
  /** The runs function's bundle (GET /sweeps/{id}, the reduce task). */
  readonly runsModulePath: string;
  readonly environment: Record<string, string>;
  readonly scheduleInput: Record<string, unknown>;
}
interface Outcome {
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  readonly node: string;
}

/** `cdk synth` as a user runs it, then the function asset, environment and schedule input. */
async function synthesize(outdir: string): Promise<Synthesized> {
  await run(
    join(BIN, 'cdk'),
    [
      'synth',
      '--quiet',
      '--no-notices',
      '-o',
      outdir,
      '-c',
      `schedules=${JSON.stringify([SCHEDULE])}`,
    ],
    { cwd: ROOT, env: toolEnv },
  );
  type Resource = {
    Type: string;
    Properties: Record<string, unknown>;
    Metadata?: Record<string, string>;
  };
  const template = JSON.parse(
    await readFile(join(outdir, 'StatusSweep.template.json'), 'utf8'),
  ) as {
    Resources: Record<string, Resource>;
  };
  const entries = Object.entries(template.Resources);
  /** The function under the stack-level construct `scope` (`Function`, `Runs`). */
  const lambda = (scope: string) =>
    entries.find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${scope}Handler`),
    )?.[1];
  const fn = lambda('Function');
  const runs = lambda('Runs');
  const schedule = entries.find(([, r]) => r.Type === 'AWS::Scheduler::Schedule')?.[1];
  if (fn === undefined || runs === undefined || schedule === undefined) {
    throw new Error('function, runs function or schedule missing');
  }
  const modulePath = (resource: Resource): string => {
    const [file] = (resource.Properties.Handler as string).split('.');
    return join(outdir, resource.Metadata?.['aws:asset:path'] ?? '', `${file}.mjs`);
  };
  return {
    modulePath: modulePath(fn),
    runsModulePath: modulePath(runs),
    environment: deployedEnvironment(
      (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    ),
    scheduleInput: JSON.parse((schedule.Properties.Target as { Input: string }).Input),
  };
}

describe('the function asset as cdk synth writes it', () => {
  let outdir: string;
  let synthesized: Synthesized;
  let upstream: FaultUpstream;
  let cloudwatch: CloudWatchEndpoint;
  let events: EventBridgeEndpoint;
  let s3: S3Endpoint;

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'sweep-synth-'));
    synthesized = await synthesize(outdir);
  }, 180_000);
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    upstream = await startFaultUpstream((id) =>
      id <= LAST_EXISTING_ID
        ? { type: 'status', status: 200, body: '{"ok":true}' }
        : { type: 'status', status: 404 },
    );
    cloudwatch = await startCloudWatchEndpoint();
    events = await startEventBridgeEndpoint();
    s3 = await startS3Endpoint();
  });
  afterEach(async () => {
    await upstream.close();
    await cloudwatch.close();
    await events.close();
    await s3.close();
  });

  /** Invokes the asset in a fresh Node process with the synthesized environment. */
  async function invoke(event: unknown, extraEnv: Record<string, string> = {}): Promise<Outcome> {
    const eventPath = join(outdir, 'event.json');
    const resultPath = join(outdir, 'result.json');
    await writeFile(eventPath, JSON.stringify(event));
    await run('node', [RUNNER, synthesized.modulePath, eventPath, resultPath], {
      env: {
        ...toolEnv,
        ...synthesized.environment,
        // The only change to the deployed environment: loopback stands in for the target, CloudWatch and S3.
        TARGET_URL_TEMPLATE: upstream.urlTemplate,
        AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
        AWS_ENDPOINT_URL_EVENTBRIDGE: events.url,
        AWS_ENDPOINT_URL_S3: s3.url,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        AWS_LAMBDA_FUNCTION_NAME: 'status-sweep',
        ...extraEnv,
      },
    });
    return JSON.parse(await readFile(resultPath, 'utf8')) as Outcome;
  }

  it('is one ESM module with a source map, the AWS SDK inside', async () => {
    expect(synthesized.modulePath).toMatch(/index\.mjs$/);
    expect(existsSync(`${synthesized.modulePath}.map`)).toBe(true);
    const code = await readFile(synthesized.modulePath, 'utf8');
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).toContain('GraniteServiceVersion20100801');
  });

  it('bundles the S3 client for baselines in both functions, the sweep bundle under its budget', async () => {
    const sweep = await readFile(synthesized.modulePath, 'utf8');
    const runs = await readFile(synthesized.runsModulePath, 'utf8');

    expect(sweep).toContain('AmazonS3');
    expect(runs).toContain('AmazonS3');
    expect(Buffer.byteLength(sweep)).toBeLessThan(SWEEP_BUNDLE_BUDGET_BYTES);
  });

  it("keeps a scheduled sweep's result as the schedule's baseline, written only if none exists", async () => {
    const outcome = await invoke(scheduleEvent(synthesized.scheduleInput));

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ trigger: 'schedule', changes: null });
    const key = `${RESULTS_BUCKET}/baselines/${SCHEDULE.name}.json`;
    expect(s3.requests.map(({ method, path, ifNoneMatch }) => [method, path, ifNoneMatch])).toEqual(
      [
        ['GET', key, undefined],
        ['PUT', key, '*'],
      ],
    );
    expect(JSON.parse(s3.objects.get(key) ?? '{}')).toMatchObject({
      sweepId: (outcome.result as { sweepId: string }).sweepId,
      ids: { '200': '1-15', '404': '16-20' },
    });
  });

  it('has a runs function bundle that loads in a fresh Node process and exports handler', async () => {
    expect(synthesized.runsModulePath).not.toBe(synthesized.modulePath);
    expect(existsSync(`${synthesized.runsModulePath}.map`)).toBe(true);
    const code = await readFile(synthesized.runsModulePath, 'utf8');
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);

    const { stdout } = await run(
      'node',
      [
        '--input-type=module',
        '-e',
        `const m = await import(process.argv[1]); console.log(typeof m.handler);`,
        pathToFileURL(synthesized.runsModulePath).href,
      ],
      {
        env: {
          ...toolEnv,
          ...synthesized.environment,
          // The runs function checks its settings at cold start; its bucket is a deploy-time Ref.
          RESULTS_BUCKET: 'status-sweep-results',
          AWS_REGION: 'eu-west-1',
        },
      },
    );

    expect(stdout.trim()).toBe('function');
  });

  it('sweeps on an HTTP API 2.0 POST /sweeps event and publishes its metrics', async () => {
    const outcome = await invoke(postSweeps({ start: 1, end: 20, concurrency: 4 }));

    expect(outcome.node).toMatch(/^v24\./);
    expect(outcome.error).toBeUndefined();
    const response = outcome.result as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      trigger: 'api',
      range: { start: 1, end: 20 },
      total: 20,
      complete: true,
      statuses: { '200': 15, '404': 5 },
      ids: { '200': '1-15', '404': '16-20' },
      metrics: { status: 'published' },
    });
    const [request] = cloudwatch.requests;
    expect(request?.namespace).toBe(synthesized.environment.METRICS_NAMESPACE);
    // The deployed environment sends the Sweep Finished event, signed, to the default bus.
    expect(events.entries.map((e) => JSON.parse(e.Detail).unexpectedIds)).toEqual(['16-20']);
    const requests = request?.metricData.find((d) => d.MetricName === MetricName.requests);
    expect(requests).toMatchObject({
      Value: 20,
      Dimensions: [{ Name: 'Target', Value: synthesized.environment.TARGET_NAME }],
    });
  });

  it('sweeps on the scheduled event the synthesized schedule sends', async () => {
    expect(synthesized.scheduleInput).toEqual({ start: 1, end: 20, schedule: 'artifact' });

    const outcome = await invoke(scheduleEvent(synthesized.scheduleInput));

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({
      trigger: 'schedule',
      total: 20,
      statuses: { '200': 15, '404': 5 },
      complete: true,
    });
    expect(upstream.attempts(LAST_EXISTING_ID)).toBe(1);
  });

  it('reads the request headers secret with the Secrets Manager client bundled inside', async () => {
    let secrets: SecretsManagerEndpoint | undefined;
    try {
      secrets = await startSecretsManagerEndpoint();
      secrets.put('sweep/headers', '{"X-Api-Key":"k-artifact"}');

      const outcome = await invoke(scheduleEvent(synthesized.scheduleInput), {
        TARGET_HEADERS_SECRET: 'sweep/headers',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      });

      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toMatchObject({ total: 20, statuses: { '200': 15, '404': 5 } });
      expect(secrets.requests).toEqual([
        expect.objectContaining({ target: GET_SECRET_VALUE_TARGET, secretId: 'sweep/headers' }),
      ]);
    } finally {
      await secrets?.close();
    }
  });

  it('fails a scheduled invocation with bad input, visibly, so it reaches the dead-letter queue', async () => {
    const outcome = await invoke(scheduleEvent({ ...synthesized.scheduleInput, end: 'twenty' }));

    expect(outcome.error?.name).toBe('InvalidRequestError');
    expect(upstream.attempts(1)).toBe(0);
  });
});
