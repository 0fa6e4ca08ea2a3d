import { Worker } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, median, withRange } from '../lib/stats.js';
import type { RateLimitedResult } from '../workers/client.js';
import type { RateLimitedJob, RateLimitedOrigin } from '../workers/rate-limited.js';
import type { BenchContext } from './context.js';

const IDS = 2_000;
const CONCURRENCIES = [32, 256] as const;
/** Issue 21's origin: 300 requests/s, a tenth of a second of burst, 429 with Retry-After: 1. */
const ORIGIN: RateLimitedJob = { perSecond: 300, burst: 30, retryAfter: '1', latencyMs: 20 };
const TARGET_PER_SECOND = 200;
const TARGET_OK_SHARE = 0.95;

/**
 * Item 12: the origin-wide throttle against a token-bucket origin in its own process, the engine
 * in another, with the request defaults (2 retries): ids per second and the share ending 200.
 */
export async function rateLimited(ctx: BenchContext): Promise<Section> {
  const reps = ctx.quick ? 1 : 3;
  const { worker: origin } = await Worker.start('rate-limited');
  const { worker: client } = await Worker.start('client');
  const runs = new Map<number, RateLimitedResult[]>(CONCURRENCIES.map((c) => [c, []]));
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const concurrency of CONCURRENCIES) {
        ctx.log(`rate-limited: ${IDS} ids at ${concurrency}, run ${rep + 1}/${reps}`);
        const { template } = await origin.call<RateLimitedOrigin>(ORIGIN);
        const job = { kind: 'rate-limited', template, n: IDS, concurrency } as const;
        runs.get(concurrency)?.push(await client.call<RateLimitedResult>(job));
      }
    }
  } finally {
    await client.stop();
    await origin.stop();
  }
  const perSecond = (r: RateLimitedResult) => IDS / (r.ms / 1000);
  const okShare = (r: RateLimitedResult) => r.ok / IDS;
  const rows = CONCURRENCIES.map((c) => {
    const rs = runs.get(c) ?? [];
    return [
      String(c),
      withRange(rs.map(perSecond), (v) => v.toFixed(0)),
      withRange(rs.map(okShare), (v) => `${(v * 100).toFixed(1)} %`),
      fmt.int(median(rs.map((r) => r.attempts))),
      fmt.int(median(rs.map((r) => r.pauses))),
    ];
  });
  return {
    title: `12. A rate-limited origin: ${fmt.int(IDS)} ids against ${ORIGIN.perSecond} requests/s`,
    body: [
      `A token bucket refilled at ${ORIGIN.perSecond} requests/s holding ${ORIGIN.burst}, answering 429 with`,
      `Retry-After: ${ORIGIN.retryAfter} when empty, ${ORIGIN.latencyMs} ms per answer, in a process of its own; the`,
      `engine with 2 retries in another. Medians of ${reps} runs with their range.`,
      '',
      table(['concurrency', 'ids per second', 'ids ending 200', 'attempts', 'pauses'], rows),
    ].join('\n'),
    targets: CONCURRENCIES.flatMap((c) => {
      const rs = runs.get(c) ?? [];
      const rate = median(rs.map(perSecond));
      const share = median(rs.map(okShare));
      return [
        {
          what: `12. ids per second at concurrency ${c}`,
          measured: rate.toFixed(0),
          target: `≥ ${TARGET_PER_SECOND}`,
          met: rate >= TARGET_PER_SECOND,
        },
        {
          what: `12. ids ending 200 at concurrency ${c}`,
          measured: `${(share * 100).toFixed(1)} %`,
          target: `≥ ${TARGET_OK_SHARE * 100} %`,
          met: share >= TARGET_OK_SHARE,
        },
      ];
    }),
  };
}
