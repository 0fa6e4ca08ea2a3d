import { describe, expect, it } from 'vitest';
import { reduceShards } from '../../lambda/distributed/reduce.js';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import {
  ErrorSampler,
  errorMessage,
  MAX_SAMPLE_CHARS,
  mergeErrorSamples,
  OwnFailure,
} from '../../lambda/sweep/error-samples.js';
import { mergeAggregates } from '../../lambda/sweep/merge.js';
import { ErrorKind } from '../../lambda/sweep/outcome.js';
import { sweep } from '../../lambda/sweep/sweep.js';
import { ok } from '../support/fault-tour.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';

const engine = useLoopbackEngine();
const API_KEY = 'sk-live-4f1c9e2ab7d3';
const clock = { startedAt: 0, endedAt: 1 };

describe('error samples of one sweep', () => {
  it('keeps the message of each failure kind that ended ids, from the real transport', async () => {
    const upstream = engine.closeAfter(
      await startFaultUpstream((id) =>
        id <= 2 ? { type: 'reset' } : id <= 4 ? { type: 'hang' } : ok(),
      ),
    );

    const result = await sweep({
      range: { start: 1, end: 6 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 6,
      timeoutMs: 300,
      retries: 0,
      headers: { 'x-api-key': API_KEY },
    });

    expect(result.ids).toMatchObject({ connection: '1-2', timeout: '3-4', '200': '5-6' });
    expect(result.errorSamples?.timeout).toEqual([OwnFailure.timeout]);
    expect(result.errorSamples?.connection?.length).toBeGreaterThanOrEqual(1);
    for (const sample of result.errorSamples?.connection ?? []) {
      expect(sample).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
    }
    expect(Object.keys(result.errorSamples ?? {}).sort()).toEqual(['connection', 'timeout']);
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('says why a certificate was refused', async () => {
    const upstream = engine.closeAfter(
      await startFaultUpstream(() => ok(), { transport: 'tls', tls: engine.certs().expired }),
    );

    const result = await sweep({
      range: { start: 1, end: 3 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 1,
      timeoutMs: 5_000,
      retries: 0,
    });

    expect(result.errorSamples).toEqual({ tls: ['CERT_HAS_EXPIRED: certificate has expired'] });
  });

  it('has no samples when every id got a status', async () => {
    const upstream = engine.closeAfter(await startFaultUpstream(() => ok(404)));

    const result = await sweep({
      range: { start: 1, end: 3 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 3,
      timeoutMs: 5_000,
      retries: 0,
    });

    expect(result.errorSamples).toEqual({});
  });
});

describe('ErrorSampler', () => {
  it('keeps at most three distinct messages per kind, first seen first', () => {
    const sampler = new ErrorSampler();

    for (const message of ['a', 'b', 'a', 'c', 'd']) sampler.record(ErrorKind.connection, message);
    sampler.record(ErrorKind.dns, 'getaddrinfo ENOTFOUND example.invalid');

    expect(sampler.toJSON()).toEqual({
      connection: ['a', 'b', 'c'],
      dns: ['getaddrinfo ENOTFOUND example.invalid'],
    });
  });

  it('never keeps a header value, a URL, a second line or more than a line of text', () => {
    const sampler = new ErrorSampler([API_KEY]);

    sampler.record(ErrorKind.other, `bad key ${API_KEY} for https://api.example.com/v1?key=abc`);
    sampler.record(ErrorKind.protocol, `first line\n    at Object.<anonymous> (file.js:1:1)`);
    sampler.record(ErrorKind.tls, 'x'.repeat(1_000));

    const samples = sampler.toJSON();
    expect(samples.other).toEqual(['bad key <redacted> for <url>']);
    expect(samples.protocol).toEqual(['first line at Object.<anonymous> (file.js:1:1)']);
    expect(samples.tls?.[0]).toHaveLength(MAX_SAMPLE_CHARS);
  });
});

describe('errorMessage', () => {
  it('names the code of the first error in the cause chain that has one', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

    expect(errorMessage(socket)).toBe('UND_ERR_SOCKET: other side closed');
    expect(errorMessage(reset)).toBe('read ECONNRESET');
    expect(errorMessage(new Error('fetch failed', { cause: reset }))).toBe('read ECONNRESET');
    expect(errorMessage(new TypeError('no code'))).toBe('TypeError: no code');
  });
});

describe('error samples across shards', () => {
  /** The aggregate of a shard whose every id failed with one of `messages` (one id each). */
  const shard = (start: number, kind: ErrorKind, messages: readonly string[]) => {
    const tally = new Tally({ start, end: start + messages.length - 1 });
    messages.forEach((message, i) => {
      tally.settle(start + i, { kind: 'error', error: kind }, undefined, message);
    });
    return summarize(tally, clock);
  };

  it('merges shards keeping three distinct messages per kind, in range order', () => {
    const merged = mergeAggregates(
      shard(4, ErrorKind.connection, ['b', 'c', 'd']),
      shard(1, ErrorKind.connection, ['a', 'b', 'a']),
      shard(7, ErrorKind.dns, ['e']),
    );

    expect(merged.errorSamples).toEqual({ connection: ['a', 'b', 'c'], dns: ['e'] });
  });

  it('reduces a run whose shards were written before samples existed', () => {
    const { errorSamples: _, ...old } = shard(1, ErrorKind.connection, ['a']);
    const current = shard(2, ErrorKind.connection, ['b']);

    const run = reduceShards({ start: 1, end: 3 }, [old, current], clock, 1);

    expect(run.errorSamples).toEqual({ connection: ['b'] });
    expect(run.notAttempted).toBe(1);
  });

  it('merges sample sets without duplicates or more than three', () => {
    expect(
      mergeErrorSamples([{ tls: ['x', 'y'] }, undefined, { tls: ['y', 'z', 'w'], other: ['o'] }]),
    ).toEqual({ tls: ['x', 'y', 'z'], other: ['o'] });
  });
});
