import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { ok } from '../support/fault-tour.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';

const engine = useLoopbackEngine();

describe('sweep against a server that closes connections right after responding', () => {
  it.each([
    ['h1', 'h1'],
    ['TLS h1', 'tls'],
  ] as const)(
    're-sends a request that fails on a reused connection, and reports no error (%s)',
    async (_, transport) => {
      const upstream = engine.closeAfter(
        await startFaultUpstream(() => ok(), {
          transport,
          tls: engine.certs().valid,
          latencyMs: 5,
          closeAfterResponseMs: 1,
        }),
      );

      const result = await sweep({
        range: { start: 1, end: 1_000 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 16,
        timeoutMs: 5_000,
        retries: 0,
      });

      console.info(
        `close 1 ms after each response, ${transport}, 1,000 ids, retries 0: ${JSON.stringify(result.statuses)} ${JSON.stringify(result.errors)}, ${result.attempts} attempts (${result.resends} re-sent), ${upstream.connectionsAccepted()} connections`,
      );
      expect(result.errors.connection).toBe(0);
      expect(result.statuses).toEqual({ '200': 1_000 });
      expect(result.retries).toBe(0);
      expect(result.resends).toBeGreaterThan(0);
      expect(result.attempts).toBe(1_000 + result.resends);
    },
  );
});
