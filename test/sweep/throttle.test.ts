import { describe, expect, it } from 'vitest';
import { sweep } from '../../lambda/sweep/sweep.js';
import { Throttle } from '../../lambda/sweep/throttle.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';
import { tokenBucket } from '../support/token-bucket.js';

const engine = useLoopbackEngine();

describe('sweep against a rate-limited origin at concurrency 256', () => {
  it.each([
    ['a Retry-After of 1 s', '1'],
    ['no Retry-After (a burst of 429s)', undefined],
  ])('pauses every new request on 429s with %s, and most ids end 200', async (_, retryAfter) => {
    const upstream = engine.closeAfter(
      await startFaultUpstream(tokenBucket(400, 100, retryAfter), { latencyMs: 20 }),
    );

    const result = await sweep({
      range: { start: 1, end: 600 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 256,
      timeoutMs: 5_000,
      retries: 2,
      deadline: Date.now() + 20_000,
    });

    console.info(
      `rate limit 400/s burst 100, ${retryAfter ? `Retry-After ${retryAfter}` : 'no Retry-After'}, 600 ids at 256: ${JSON.stringify(result.statuses)}, ${result.throttlePauses} pauses, ${result.attempts} attempts, ${result.endedAt - result.startedAt} ms`,
    );
    expect(result.statuses['200'] ?? 0).toBeGreaterThan(600 * 0.75);
    expect(result.throttlePauses).toBeGreaterThan(0);
  });
});

describe('a throttle pause that outlasts the deadline', () => {
  it('releases every waiting worker at once, not when the deadline comes', async () => {
    const throttle = new Throttle(1);
    const running = new AbortController().signal;
    const tooLate = (waitMs: number) => waitMs > 1_000;
    expect(await throttle.admit(running, tooLate)).toBe(true);
    const waiting = [throttle.admit(running, tooLate), throttle.admit(running, tooLate)];

    throttle.done(429, '60'); // a minute's pause, far past this sweep's deadline
    const settled = await Promise.race([
      Promise.all(waiting),
      new Promise<'still waiting'>((resolve) => setTimeout(resolve, 2_000, 'still waiting')),
    ]);

    expect(settled).toEqual([false, false]);
  });
});

describe('an origin that refuses everything', () => {
  it('pauses again once it admitted nothing while holding a rate', async () => {
    const throttle = new Throttle(4);
    const running = new AbortController().signal;
    const never = () => false;
    for (let i = 0; i < 4; i++) await throttle.admit(running, never);
    for (let i = 0; i < 4; i++) throttle.done(200);
    await throttle.admit(running, never);
    throttle.done(429, '1'); // the first refusal with a Retry-After: the one polite pause
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    // The pause is over; now every answer is a refusal, for over a second.
    const refusing = async () => {
      await throttle.admit(running, never);
      throttle.done(429, '1');
    };
    const until = performance.now() + 3_000;
    while (performance.now() < until && throttle.pauses === 1) await refusing();

    expect(throttle.pauses).toBe(2);
  });
});
