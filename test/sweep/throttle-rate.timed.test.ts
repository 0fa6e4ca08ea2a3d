import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';
import { tokenBucket } from '../support/token-bucket.js';

const engine = useLoopbackEngine();

/** The origin's limit: a token bucket refilled at 300 requests/s holding a tenth of a second. */
const LIMIT_PER_SECOND = 300;
const BURST = 30;
const IDS = 2_000;

describe('sweep against a 300 requests/s origin answering 429 with Retry-After: 1', () => {
  it.each([32, 256])(
    'at concurrency %i, runs 2,000 ids at ≥ 200 per second with ≥ 95 percent ending 200',
    async (concurrency) => {
      const upstream = engine.closeAfter(
        await startFaultUpstream(tokenBucket(LIMIT_PER_SECOND, BURST, '1'), { latencyMs: 20 }),
      );

      const result = await sweep({
        range: { start: 1, end: IDS },
        urlTemplate: upstream.urlTemplate,
        concurrency,
        timeoutMs: 5_000,
        retries: 2,
        deadline: Date.now() + 60_000,
      });

      const seconds = (result.endedAt - result.startedAt) / 1000;
      console.info(
        `token bucket ${LIMIT_PER_SECOND}/s burst ${BURST}, ${IDS} ids at ${concurrency}: ${JSON.stringify(result.statuses)}, ${result.attempts} attempts, ${result.throttlePauses} pauses, ${seconds.toFixed(2)} s, ${(IDS / seconds).toFixed(0)} ids/s`,
      );
      expect(result.statuses['200'] ?? 0).toBeGreaterThanOrEqual(IDS * 0.95);
      expect(IDS / seconds).toBeGreaterThanOrEqual(200);
      // Polite too: after its first refusals, the sweep keeps to about what the origin admits.
      expect(result.attempts).toBeLessThanOrEqual(IDS * 1.25);
    },
  );
});
