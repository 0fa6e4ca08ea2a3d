import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { lambdaContext, postSweeps } from '../support/events.js';
import { type LoopbackServer, listenOnLoopback } from '../support/loopback-server.js';
import {
  pointSecretsManagerAt,
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '../support/secrets-manager-endpoint.js';

/** An upstream on loopback answering 200 after 2 ms, remembering each request's API key. */
async function upstream() {
  const keys: string[] = [];
  const server = createServer((req, res) => {
    keys.push(String(req.headers['x-api-key']));
    setTimeout(() => res.writeHead(200).end('{}'), 2);
  });
  const loopback: LoopbackServer = await listenOnLoopback(server);
  return { ...loopback, keys };
}

let prod: Awaited<ReturnType<typeof upstream>>;
let canary: Awaited<ReturnType<typeof upstream>>;
let secrets: SecretsManagerEndpoint;
const savedEnv = { ...process.env };
beforeAll(async () => {
  prod = await upstream();
  canary = await upstream();
  secrets = await startSecretsManagerEndpoint();
  secrets.put('prod/headers', JSON.stringify({ 'X-Api-Key': 'prod-key' }));
  secrets.put('canary/headers', JSON.stringify({ 'X-Api-Key': 'canary-key' }));
  pointSecretsManagerAt(secrets.url);
});
afterAll(async () => {
  process.env = savedEnv;
  await prod.close();
  await canary.close();
  await secrets.close();
});

describe('each target with its own headers secret', () => {
  it("sends each target's headers to that target only", async () => {
    const config = loadConfig({
      TARGET_NAME: 'prod',
      TARGET_URL_TEMPLATE: `${prod.url}/{id}`,
      TARGET_HEADERS_SECRET: 'prod/headers',
      ADDITIONAL_TARGETS: JSON.stringify([
        { name: 'canary', urlTemplate: `${canary.url}/{id}`, headersSecret: 'canary/headers' },
      ]),
      METRICS_MODE: 'off',
    });
    const fn = createHandlers(config, { log: () => undefined });

    const results = [
      await fn.http(postSweeps({ target: 'canary', start: 1, end: 3 }), lambdaContext()),
      await fn.http(postSweeps({ start: 1, end: 2 }), lambdaContext()),
    ];

    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(canary.keys).toEqual(['canary-key', 'canary-key', 'canary-key']);
    expect(prod.keys).toEqual(['prod-key', 'prod-key']);
    expect(secrets.requests.map((r) => r.secretId).sort()).toEqual([
      'canary/headers',
      'prod/headers',
    ]);
  });
});
