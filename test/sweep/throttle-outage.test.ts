import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { ok, status } from '../support/fault-tour.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';

const engine = useLoopbackEngine();
const REFUSING_MS = 3_000;

describe('an origin that refuses every request for a while, then recovers', () => {
  it('gets its first wave and then a trickle while it refuses, and every id once it recovers', async () => {
    let recoversAt = Number.POSITIVE_INFINITY;
    const upstream = engine.closeAfter(
      await startFaultUpstream(
        () => (performance.now() < recoversAt ? status(429, { 'retry-after': '1' }) : ok()),
        { latencyMs: 20 },
      ),
    );
    recoversAt = performance.now() + REFUSING_MS;

    const result = await sweep({
      range: { start: 1, end: 300 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 64,
      timeoutMs: 5_000,
      retries: 5,
      deadline: Date.now() + 30_000,
    });

    const whileRefusing = upstream.arrivals.filter((t) => t < recoversAt).length;
    console.info(
      `refusing ${REFUSING_MS} ms: ${whileRefusing} requests while refusing, ${JSON.stringify(result.statuses)}, ${result.throttlePauses} pauses, ${result.endedAt - result.startedAt} ms`,
    );
    expect(result.statuses).toEqual({ '200': 300 });
    // Its first wave, then a trickle: not every worker again after each pause.
    expect(whileRefusing).toBeLessThanOrEqual(100);
    expect(result.endedAt - result.startedAt).toBeLessThan(20_000);
  });
});
