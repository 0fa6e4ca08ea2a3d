import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { ok } from '../support/fault-tour.js';
import { startFaultUpstream, type Transport } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';

const engine = useLoopbackEngine();

describe('sweep request shape', () => {
  it.each(['h1', 'h2'] as const)(
    'sends the method and the headers it was given, over the defaults (%s)',
    async (transport: Transport) => {
      const upstream = engine.closeAfter(
        await startFaultUpstream(() => ok(), { transport, tls: engine.certs().valid }),
      );

      const result = await sweep({
        range: { start: 1, end: 3 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 2,
        timeoutMs: 5_000,
        retries: 0,
        method: 'HEAD',
        headers: { 'X-Api-Key': 'k-123', 'User-Agent': 'probe/2' },
      });

      expect(result.statuses).toEqual({ '200': 3 });
      expect(upstream.seen).toHaveLength(3);
      for (const request of upstream.seen) {
        expect(request.method).toBe('HEAD');
        expect(request.headers).toMatchObject({
          'x-api-key': 'k-123',
          'user-agent': 'probe/2',
          accept: '*/*',
        });
      }
    },
  );

  it('sends GET with the default headers when given none', async () => {
    const upstream = engine.closeAfter(await startFaultUpstream(() => ok()));

    await sweep({
      range: { start: 1, end: 1 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 1,
      timeoutMs: 5_000,
      retries: 0,
    });

    expect(upstream.seen[0]?.method).toBe('GET');
    expect(upstream.seen[0]?.headers['user-agent']).toBe('status-sweep/0.1');
  });

  it('rejects a method other than GET or HEAD as a programmer error', async () => {
    const options = {
      range: { start: 1, end: 1 },
      urlTemplate: 'http://127.0.0.1:9/{id}',
      concurrency: 1,
      timeoutMs: 100,
      retries: 0,
      method: 'POST' as 'GET',
    };

    await expect(sweep(options)).rejects.toThrow(/method must be one of GET, HEAD, got POST/);
  });
});
