import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { ok } from '../support/fault-tour.js';
import {
  type FaultUpstream,
  startFaultUpstream,
  type Transport,
} from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';

const engine = useLoopbackEngine();

async function sweepAll(upstream: FaultUpstream, ids: number, concurrency: number) {
  return sweep({
    range: { start: 1, end: ids },
    urlTemplate: upstream.urlTemplate,
    concurrency,
    timeoutMs: 5_000,
    retries: 2,
  });
}

describe('sweep over TLS', () => {
  it.each([
    ['signed by an untrusted CA', 'untrusted'],
    ['for another host', 'wrongHost'],
    ['expired', 'expired'],
  ] as const)('ends every id as tls, unretried, when the certificate is %s', async (_, which) => {
    const tls = engine.certs()[which];
    const upstream = engine.closeAfter(
      await startFaultUpstream(() => ok(), { transport: 'h2', tls }),
    );

    const result = await sweepAll(upstream, 5, 2);

    expect(result.ids).toEqual({ tls: '1-5' });
    expect(result.retries).toBe(0);
    expect(upstream.seen).toHaveLength(0);
  });

  it.each([
    ['h2', '2.0', 1],
    ['tls', '1.1', 32],
  ] as const)(
    'over %s, the server sees HTTP/%s on %i handshake(s) for 500 ids at concurrency 32',
    async (transport: Transport, version, handshakes) => {
      const tls = engine.certs().valid;
      const upstream = engine.closeAfter(
        await startFaultUpstream(() => ok(), { transport, tls, latencyMs: 20 }),
      );

      const result = await sweepAll(upstream, 500, 32);

      expect(result.statuses).toEqual({ '200': 500 });
      expect(new Set(upstream.seen.map((r) => r.httpVersion))).toEqual(new Set([version]));
      expect(upstream.connectionsAccepted()).toBe(handshakes);
      console.info(`${transport}: ${upstream.connectionsAccepted()} TLS handshake(s) for 500 ids`);
    },
  );

  it('makes one full TLS handshake per pool over HTTP/1.1 and resumes its session on the other connections', async () => {
    const tls = engine.certs().valid;
    const upstream = engine.closeAfter(
      await startFaultUpstream(() => ok(), { transport: 'tls', tls, latencyMs: 20 }),
    );

    const result = await sweepAll(upstream, 100, 32);

    expect(result.statuses).toEqual({ '200': 100 });
    expect(upstream.connectionsAccepted()).toBe(32);
    expect(upstream.resumedHandshakes()).toBe(31);
  });

  it('still refuses an untrusted certificate on every connection once a session is cached', async () => {
    const trusted = engine.closeAfter(
      await startFaultUpstream(() => ok(), { transport: 'tls', tls: engine.certs().valid }),
    );
    await sweepAll(trusted, 4, 4);
    const untrusted = engine.closeAfter(
      await startFaultUpstream(() => ok(), { transport: 'tls', tls: engine.certs().untrusted }),
    );

    const result = await sweepAll(untrusted, 8, 4);

    expect(result.ids).toEqual({ tls: '1-8' });
    expect(untrusted.seen).toHaveLength(0);
  });
});
