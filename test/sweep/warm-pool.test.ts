import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';
import { type StallingOrigin, startStallingOrigin } from '../support/stalling-origin.js';

const engine = useLoopbackEngine();

const sweep40 = (origin: StallingOrigin, timeoutMs: number) =>
  sweep({
    range: { start: 1, end: 40 },
    urlTemplate: origin.urlTemplate,
    concurrency: 8,
    timeoutMs,
    retries: 0,
  });

describe('a warm process after the origin stalled its TLS handshakes', () => {
  it('sweeps the recovered origin as a fresh pool does (40 of 40 answered 200)', async () => {
    const origin = await startStallingOrigin(engine.certs().valid);
    try {
      const stalled = await sweep40(origin, 300);
      expect(stalled.errors.timeout).toBe(40);
      origin.recover();

      // Every attempt of the first sweep timed out while waiting for a connection: none may
      // still be queued (each would cost the next sweep a connect of up to 10 s).
      const warm = await sweep40(origin, 3_000);

      expect(warm.statuses).toEqual({ '200': 40 });
      expect(origin.answered()).toBe(40);
    } finally {
      await origin.close();
    }
  });

  it('gives up the stalled connection attempts no request waits for any more', async () => {
    const origin = await startStallingOrigin(engine.certs().valid);
    try {
      await sweep40(origin, 300);

      // The client closes its side of each abandoned handshake; the origin sees them go.
      const deadline = performance.now() + 5_000;
      while (origin.openConnections() > 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      expect(origin.stalledConnections()).toBeGreaterThan(0);
      expect(origin.openConnections()).toBe(0);
    } finally {
      await origin.close();
    }
  });
});
