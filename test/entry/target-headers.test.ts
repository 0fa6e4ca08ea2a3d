import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers, type SweepHandlers } from '../../lambda/entry/handler.js';
import { parseTargetHeaders } from '../../lambda/entry/target-headers.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { ConfigError, ServiceUnavailableError } from '../../lambda/ground/errors.js';
import { directEvent, lambdaContext, postSweeps } from '../support/events.js';
import { type LoopbackServer, listenOnLoopback } from '../support/loopback-server.js';
import {
  pointSecretsManagerAt,
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '../support/secrets-manager-endpoint.js';

/** A value no log line, response or error message may ever contain. */
const API_KEY = 'sk-live-4f1c9e2ab7d3';
const ROTATED_KEY = 'sk-live-rotated-88d1e0';
const SECRET = 'status-sweep/target-headers';

/** What the upstream saw of each request. */
interface Seen {
  readonly method: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

let secrets: SecretsManagerEndpoint;
let upstream: LoopbackServer;
let urlTemplate: string;
const seen: Seen[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  secrets = await startSecretsManagerEndpoint();
  upstream = await listenOnLoopback(
    createServer((req, res) => {
      seen.push({ method: req.method, headers: req.headers });
      res.writeHead(200, { 'content-length': 2 }).end(req.method === 'HEAD' ? undefined : 'ok');
    }),
  );
  urlTemplate = `${upstream.url}/items/{id}`;
  // The real SDK, pointed at loopback with dummy credentials; nothing of the user's AWS setup.
  pointSecretsManagerAt(secrets.url);
});
afterAll(async () => {
  process.env = savedEnv;
  await upstream.close();
  await secrets.close();
});
beforeEach(() => {
  seen.length = 0;
  secrets.requests.length = 0;
  secrets.faults.length = 0;
  secrets.put(SECRET, JSON.stringify({ 'X-Api-Key': API_KEY }));
});

interface Deployed extends SweepHandlers {
  readonly logs: string[];
}

/** The sweep function as deployed with the headers secret, metrics off, logs captured. */
function deploy(env: Record<string, string> = {}): Deployed {
  const logs: string[] = [];
  const config = loadConfig({
    TARGET_URL_TEMPLATE: urlTemplate,
    TARGET_NAME: 'secret-target',
    METRICS_MODE: 'off',
    TARGET_HEADERS_SECRET: SECRET,
    ...env,
  });
  return { ...createHandlers(config, { log: (line) => logs.push(JSON.stringify(line)) }), logs };
}

/** Everything a caller or an operator could read: the HTTP result and every log line. */
function readable(result: unknown, logs: readonly string[]): string {
  return `${JSON.stringify(result)}\n${logs.join('\n')}`;
}

describe('request headers from the Secrets Manager secret', () => {
  it('sends the secret headers, over the defaults, on every request', async () => {
    const fn = deploy();

    const result = await fn.http(postSweeps({ start: 1, end: 3 }), lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(seen).toHaveLength(3);
    for (const request of seen) {
      expect(request.method).toBe('GET');
      expect(request.headers).toMatchObject({
        'x-api-key': API_KEY,
        'user-agent': 'status-sweep/0.1',
        accept: '*/*',
      });
    }
    expect(secrets.requests).toEqual([
      expect.objectContaining({
        target: 'secretsmanager.GetSecretValue',
        contentType: 'application/x-amz-json-1.1',
        secretId: SECRET,
        authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//),
      }),
    ]);
  });

  it('never puts the value in the response or a log line', async () => {
    const fn = deploy();

    const result = await fn.http(postSweeps({ start: 1, end: 2 }), lambdaContext());

    expect(fn.logs.length).toBeGreaterThan(0);
    expect(readable(result, fn.logs)).not.toContain(API_KEY);
  });

  it('sends HEAD when TARGET_METHOD says so', async () => {
    const fn = deploy({ TARGET_METHOD: 'HEAD' });

    const outcome = await fn.invoke(directEvent({ start: 1, end: 2 }), lambdaContext());

    expect(outcome).toMatchObject({ statuses: { '200': 2 } });
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
    expect(seen[0]?.headers['x-api-key']).toBe(API_KEY);
  });

  it('reads the secret once within its max age, and the rotated value after it', async () => {
    const fn = deploy({ TARGET_HEADERS_MAX_AGE_MS: '1000' });
    await fn.invoke(directEvent({ start: 1, end: 1 }), lambdaContext());
    secrets.put(SECRET, JSON.stringify({ 'X-Api-Key': ROTATED_KEY }));

    await fn.invoke(directEvent({ start: 2, end: 2 }), lambdaContext());
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    await fn.invoke(directEvent({ start: 3, end: 3 }), lambdaContext());

    expect(seen.map((r) => r.headers['x-api-key'])).toEqual([API_KEY, API_KEY, ROTATED_KEY]);
    expect(secrets.requests).toHaveLength(2);
  });

  it('fails a sweep on a malformed secret with a 500 that names the secret, not its value', async () => {
    secrets.put(SECRET, `{"X-Api-Key": ${API_KEY}}`);
    const fn = deploy();

    const result = await fn.http(postSweeps({ start: 1, end: 2 }), lambdaContext());

    expect(result.statusCode).toBe(500);
    expect(seen).toHaveLength(0);
    const logged = fn.logs.map((line) => JSON.parse(line) as { error?: { message: string } });
    expect(logged.find((line) => line.error)?.error?.message).toBe(
      `the target headers secret ${SECRET} (TARGET_HEADERS_SECRET) must be a JSON object of header names to values; it is not valid JSON`,
    );
    expect(readable(result, fn.logs)).not.toContain(API_KEY);
  });

  it('fails a direct invoke with ConfigError when the secret does not exist', async () => {
    const fn = deploy({ TARGET_HEADERS_SECRET: 'no-such-secret' });

    const error: unknown = await fn
      .invoke(directEvent({ start: 1, end: 2 }), lambdaContext())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^cannot read the target headers secret no-such-secret \(TARGET_HEADERS_SECRET\): Secrets Manager can't find/,
    );
    expect(seen).toHaveLength(0);
  });
});

describe('a secret read Secrets Manager could not answer', () => {
  it.each([
    ['throttled', 'throttle'],
    ['failed on its side (5xx)', 'unavailable'],
  ] as const)(
    'is transient when %s: ServiceUnavailableError, which a shard retries',
    async (_name, fault) => {
      // Both of the SDK's attempts (SECRET_READ.attempts) meet the fault.
      secrets.faults.push(fault, fault);
      const fn = deploy();

      const error: unknown = await fn
        .invoke(directEvent({ start: 1, end: 2 }), lambdaContext())
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^cannot read the target headers secret ${SECRET} \\(TARGET_HEADERS_SECRET\\) now: `,
        ),
      );
      expect(seen).toHaveLength(0);
    },
  );

  it('answers 503 with Retry-After on the API when the read was throttled', async () => {
    secrets.faults.push('throttle', 'throttle');
    const fn = deploy();

    const result = await fn.http(postSweeps({ start: 1, end: 2 }), lambdaContext());

    expect(result).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '5' } });
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({
      error: { code: 'service_unavailable' },
    });
    expect(readable(result, fn.logs)).not.toContain(API_KEY);
  });

  it('is bounded by the sweep deadline when the headers came and the body stalls', async () => {
    secrets.faults.push('stall', 'stall');
    const fn = deploy();
    const started = Date.now();

    const error: unknown = await fn
      .invoke(directEvent({ start: 1, end: 2, timeBudgetMs: 1_000 }), lambdaContext())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    // The budget is 1 s; a machine under load may take a few more to notice.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(secrets.requests).toHaveLength(1);
  });
});

describe('the secret text', () => {
  it.each([
    ['not JSON', API_KEY, /it is not valid JSON$/],
    ['an array', JSON.stringify([API_KEY]), /got an array$/],
    ['a string', JSON.stringify(API_KEY), /got string$/],
    ['a name that is not a token', JSON.stringify({ [`x ${API_KEY}`]: 'v' }), /not an HTTP token$/],
    ['a Host header', JSON.stringify({ Host: API_KEY }), /may not set "host"/],
    ['a hop-by-hop header', JSON.stringify({ Connection: API_KEY }), /may not set "connection"/],
    ['Transfer-Encoding', JSON.stringify({ 'Transfer-Encoding': API_KEY }), /"transfer-encoding"/],
    ['a number value', JSON.stringify({ 'x-n': 42 }), /must give "x-n" a string value$/],
    ['a line break', JSON.stringify({ 'x-k': `${API_KEY}\r\nx: y` }), /without line breaks/],
    ['a name twice', JSON.stringify({ 'X-K': API_KEY, 'x-k': API_KEY }), /names "x-k" twice/],
  ])('is refused when it is %s, naming the secret and never the value', (_name, raw, problem) => {
    let error: unknown;
    try {
      parseTargetHeaders(SECRET, raw);
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(ConfigError);
    const { message, cause } = error as ConfigError;
    expect(message).toMatch(new RegExp(`^the target headers secret ${SECRET} `));
    expect(message).toMatch(problem);
    expect(message).not.toContain(API_KEY);
    expect(cause).toBeUndefined();
  });

  it('keeps header names lower-cased and values as given', () => {
    expect(
      parseTargetHeaders(SECRET, '{"X-Api-Key":"a b\\tc","Authorization":"Bearer t"}'),
    ).toEqual({ 'x-api-key': 'a b\tc', authorization: 'Bearer t' });
  });
});

describe('the request shape settings', () => {
  it.each([
    [{ TARGET_METHOD: 'POST' }, 'TARGET_METHOD must be GET or HEAD, got "POST"'],
    [
      { TARGET_HEADERS_SECRET: 'no spaces allowed' },
      'TARGET_HEADERS_SECRET must be a Secrets Manager secret name or ARN, got "no spaces allowed"',
    ],
    [
      { TARGET_HEADERS_MAX_AGE_MS: '0' },
      'TARGET_HEADERS_MAX_AGE_MS must be an integer from 1000 to 86400000, got 0',
    ],
  ])('refuses %j at cold start', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(`invalid configuration: ${message}`));
  });

  it('takes a secret ARN and defaults to GET with a five-minute max age', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sweep/headers-AbCdEf';

    const config = loadConfig({ TARGET_HEADERS_SECRET: arn });

    expect(config).toMatchObject({
      targetHeadersSecret: arn,
      targetMethod: 'GET',
      targetHeadersMaxAgeMs: 300_000,
    });
  });
});
