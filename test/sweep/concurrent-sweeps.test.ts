import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { ok } from '../support/fault-tour.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';

const engine = useLoopbackEngine();

describe('sweeps of one origin running at once in one process (npm run serve)', () => {
  it('never close the connections another sweep uses, whichever asks for more', async () => {
    const upstream = engine.closeAfter(await startFaultUpstream(() => ok(), { latencyMs: 20 }));
    const run = (end: number, concurrency: number) =>
      sweep({
        range: { start: 1, end },
        urlTemplate: upstream.urlTemplate,
        concurrency,
        timeoutMs: 5_000,
        retries: 0,
      });

    const first = run(400, 4);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the first is under way
    const [a, b, c] = await Promise.all([first, run(200, 16), run(200, 64)]);

    expect(a.statuses).toEqual({ '200': 400 });
    expect(b.statuses).toEqual({ '200': 200 });
    expect(c.statuses).toEqual({ '200': 200 });
  });

  it('keeps one warm pool per origin once they are done: the next sweep reuses its connections', async () => {
    const upstream = engine.closeAfter(await startFaultUpstream(() => ok(), { latencyMs: 20 }));
    const run = (concurrency: number) =>
      sweep({
        range: { start: 1, end: 64 },
        urlTemplate: upstream.urlTemplate,
        concurrency,
        timeoutMs: 5_000,
        retries: 0,
      });
    await Promise.all([run(8), run(16)]);
    const before = upstream.connectionsAccepted();

    const again = await run(16);

    expect(again.statuses).toEqual({ '200': 64 });
    expect(upstream.connectionsAccepted()).toBe(before);
  });
});
