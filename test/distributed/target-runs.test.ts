import 'aws-sdk-client-mock-vitest/extend';
import { createServer } from 'node:http';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRuns } from '../../dev/local-runs.js';
import { withLocalRuns } from '../../dev/local-runs-api.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { type RunAccepted, SHARD_KIND } from '../../lambda/distributed/messages.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { type Config, loadConfig } from '../../lambda/ground/config.js';
import { InvalidEventError, NEVER_RETRIED_ERRORS } from '../../lambda/ground/errors.js';
import { lambdaContext, postSweeps } from '../support/events.js';
import { type LoopbackServer, listenOnLoopback } from '../support/loopback-server.js';
import {
  pointSecretsManagerAt,
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '../support/secrets-manager-endpoint.js';
import { jsonBody } from '../support/sweep-handler.js';

/** An upstream on loopback answering 200 after 2 ms (404 for `missing`), remembering requests. */
async function upstream(missing: (id: number) => boolean = () => false) {
  const seen: { path: string; key: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', key: String(req.headers['x-api-key']) });
    const id = Number(/(\d+)$/.exec(req.url ?? '')?.[1]);
    setTimeout(() => res.writeHead(missing(id) ? 404 : 200).end('{}'), 2);
  });
  const loopback: LoopbackServer = await listenOnLoopback(server);
  return { ...loopback, seen };
}

const quiet = () => undefined;
let prod: Awaited<ReturnType<typeof upstream>>;
let canary: Awaited<ReturnType<typeof upstream>>;
let secrets: SecretsManagerEndpoint;
let config: Config;
const savedEnv = { ...process.env };
beforeAll(async () => {
  prod = await upstream();
  // The canary answers 404 for 98-100, which its own rules expect: a verdict only its rules give.
  canary = await upstream((id) => id >= 98 && id <= 100);
  secrets = await startSecretsManagerEndpoint();
  secrets.put('prod/headers', JSON.stringify({ 'X-Api-Key': 'prod-key' }));
  secrets.put('canary/headers', JSON.stringify({ 'X-Api-Key': 'canary-key' }));
  pointSecretsManagerAt(secrets.url);
  config = loadConfig({
    TARGET_NAME: 'prod',
    TARGET_URL_TEMPLATE: `${prod.url}/items/{id}`,
    TARGET_HEADERS_SECRET: 'prod/headers',
    ADDITIONAL_TARGETS: JSON.stringify([
      {
        name: 'canary',
        urlTemplate: `${canary.url}/v2/items/{id}`,
        headersSecret: 'canary/headers',
        expect: [{ ids: '98-100', statuses: [404] }, { statuses: ['2xx'] }],
      },
    ]),
    METRICS_MODE: 'off',
    MAX_IDS: '50',
  });
});
afterAll(async () => {
  process.env = savedEnv;
  await prod.close();
  await canary.close();
  await secrets.close();
});

describe('a distributed run of a named target', () => {
  it('sweeps only that target, with its headers and rules, and concludes under its name', async () => {
    const runs = localRuns(config, { log: quiet, retryIntervalMs: 5 });
    const { dispatch } = createHandlers(config, { log: quiet, runs });
    const api = withLocalRuns(dispatch, runs);

    const posted = await api(postSweeps({ target: 'canary', start: 1, end: 120 }), lambdaContext());
    const accepted = jsonBody<RunAccepted>(posted as never);
    const ended = await runs.ended(accepted.sweepId);

    expect((posted as { statusCode?: number }).statusCode).toBe(202);
    expect(accepted).toMatchObject({ target: 'canary', total: 120 });
    expect(ended).toMatchObject({ status: 'SUCCEEDED' });
    const result = (ended as { result: SweepResponse }).result;
    expect(result).toMatchObject({ target: 'canary', total: 120, verdict: 'ok', unexpected: 0 });
    expect(result.ids).toEqual({ '200': '1-97,101-120', '404': '98-100' });
    expect(prod.seen).toEqual([]);
    expect(canary.seen.length).toBeGreaterThanOrEqual(120);
    expect(new Set(canary.seen.map((s) => s.key))).toEqual(new Set(['canary-key']));
    expect(canary.seen.every((s) => s.path.startsWith('/v2/items/'))).toBe(true);
  }, 60_000);
});

describe('a shard event', () => {
  const shard = (target: string) => ({
    kind: SHARD_KIND,
    sweepId: 'a1b2c3',
    shardStart: 201,
    shardSize: 5,
    rangeEnd: 205,
    options: { target, concurrency: 2, timeoutMs: 5_000, retries: 0 },
  });

  it('sweeps the deployed target it names', async () => {
    const { shard: sweepShard } = createHandlers(config, { log: quiet });
    const before = canary.seen.length;

    const aggregate = await sweepShard(shard('canary'), lambdaContext());

    expect(aggregate.range).toEqual({ start: 201, end: 205 });
    expect(canary.seen.slice(before).map((s) => s.path)).toContain('/v2/items/203');
  });

  it('naming a target not deployed is refused, never retried', async () => {
    const { shard: sweepShard } = createHandlers(config, { log: quiet });

    const refused = sweepShard(shard('staging'), lambdaContext());

    await expect(refused).rejects.toThrow(InvalidEventError);
    await expect(refused).rejects.toThrow(
      'options.target must be one of the deployed targets (prod, canary), got "staging"',
    );
    expect(NEVER_RETRIED_ERRORS).toContain(InvalidEventError.name);
  });
});

describe('one run per target at a time', () => {
  const running = '7d3c1f0e-2b4a-4c5d-8e6f-0a1b2c3d4e5f';
  const sfn = mockClient(SFNClient);
  afterAll(() => sfn.restore());

  it('on AWS: a run of prod still running refuses prod (409), not canary', async () => {
    sfn.reset();
    sfn.on(ListExecutionsCommand).resolves({
      executions: [{ name: running, executionArn: `arn:x:${running}` } as never],
    });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ input: JSON.stringify({ run: { sweepId: running, trigger: 'api' } }) });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:y', startDate: new Date() });
    const deployed = loadConfig({
      TARGET_NAME: 'prod',
      TARGET_URL_TEMPLATE: `${prod.url}/items/{id}`,
      ADDITIONAL_TARGETS: JSON.stringify([{ name: 'canary', urlTemplate: `${canary.url}/{id}` }]),
      METRICS_MODE: 'off',
      MAX_IDS: '50',
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:StatusSweepRuns',
    });
    const { http } = createHandlers(deployed, { log: quiet });

    const ofProd = await http(postSweeps({ start: 1, end: 120 }), lambdaContext());
    const ofCanary = await http(
      postSweeps({ target: 'canary', start: 1, end: 120 }),
      lambdaContext(),
    );

    expect(ofProd).toMatchObject({ statusCode: 409 });
    expect(JSON.stringify(jsonBody(ofProd))).toContain('run_in_progress');
    expect(ofCanary).toMatchObject({ statusCode: 202 });
    expect(jsonBody<RunAccepted>(ofCanary).target).toBe('canary');
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const input = JSON.parse(
      String(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input),
    );
    expect(input.run.target).toBe('canary');
    expect(input.shardOptions.target).toBe('canary');
  });

  it('locally: a run of canary starts while one of prod runs; a second of prod is refused', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { shard } = createHandlers(config, { log: quiet, poolPerSweep: true });
    const runs = localRuns(config, {
      log: quiet,
      invokeShard: async (event, context) => {
        if (event.options.target === undefined) await gate;
        return shard(event, context);
      },
    });
    const { dispatch } = createHandlers(config, { log: quiet, runs });
    const api = withLocalRuns(dispatch, runs);

    const first = jsonBody<RunAccepted>(
      (await api(postSweeps({ start: 1, end: 120 }), lambdaContext())) as never,
    );
    const again = await api(postSweeps({ start: 1, end: 120 }), lambdaContext());
    const other = await api(postSweeps({ target: 'canary', start: 1, end: 120 }), lambdaContext());
    release();
    await runs.ended(first.sweepId);
    await runs.ended(jsonBody<RunAccepted>(other as never).sweepId);

    expect(again).toMatchObject({ statusCode: 409 });
    expect(other).toMatchObject({ statusCode: 202 });
  }, 60_000);
});
