import type { SweepAggregate } from '../../lambda/sweep/aggregate.js';
import { BODY_DRAIN_LIMIT_BYTES } from '../../lambda/sweep/fetcher.js';
import { parseSpans } from '../../lambda/sweep/range.js';
import { type Behaviour, behaviours, type Script } from './fault-upstream.js';

/** The fault tour: one id per way an origin can answer, each with the outcome it must end in. */

export const { ok } = behaviours;
export const status = (code: number, headers?: Record<string, string>): Behaviour => ({
  type: 'status',
  status: code,
  ...(headers ? { headers } : {}),
});
export const sequence =
  (...steps: Behaviour[]) =>
  (attempt: number): Behaviour =>
    steps[Math.min(attempt, steps.length) - 1] ?? ok();

/** Every id's script for the fault tour, with the outcome and attempts it must end with. */
export const TOUR: Record<
  number,
  {
    script: (attempt: number) => Behaviour;
    outcome: string;
    /** Counted attempts: the upstream sees one more when the id is re-sent. */
    attempts: number;
    resentOverH1?: boolean;
  }
> = {
  1: { script: () => ok(), outcome: '200', attempts: 1 },
  2: { script: () => status(404), outcome: '404', attempts: 1 },
  3: { script: () => status(500), outcome: '500', attempts: 1 },
  4: { script: sequence(status(503), ok()), outcome: '200', attempts: 2 },
  5: { script: sequence(status(429, { 'retry-after': '1' }), ok()), outcome: '200', attempts: 2 },
  6: {
    script: sequence(
      status(429, { 'retry-after': new Date(Date.now() - 60_000).toUTCString() }),
      ok(),
    ),
    outcome: '200',
    attempts: 2,
  },
  7: { script: sequence(status(502), status(504), ok()), outcome: '200', attempts: 3 },
  8: { script: () => status(503), outcome: '503', attempts: 3 },
  9: { script: () => ({ type: 'hang' }), outcome: 'timeout', attempts: 3 },
  // Its first attempt reuses a connection (ids 1-8 opened them all); over HTTP/1.1 the RST looks
  // like the keep-alive race, so the request is re-sent once, uncounted.
  10: { script: () => ({ type: 'reset' }), outcome: 'connection', attempts: 3, resentOverH1: true },
  11: { script: () => status(301, { location: '/elsewhere' }), outcome: '301', attempts: 1 },
  12: {
    script: () => ({ type: 'trickle', chunks: 100, everyMs: 100 }),
    outcome: 'timeout',
    attempts: 3,
  },
  13: { script: () => ({ type: 'trickle', chunks: 3, everyMs: 10 }), outcome: '200', attempts: 1 },
  14: {
    script: () => ({ type: 'huge', bytes: 8 * 1024 * 1024, contentLength: true }),
    outcome: '200',
    attempts: 1,
  },
  15: {
    script: () => ({ type: 'huge', bytes: 8 * 1024 * 1024, contentLength: false }),
    outcome: '200',
    attempts: 1,
  },
  16: {
    script: () => ({ type: 'huge', bytes: BODY_DRAIN_LIMIT_BYTES / 2, contentLength: true }),
    outcome: '200',
    attempts: 1,
  },
  17: { script: () => ({ type: 'garbage' }), outcome: 'protocol', attempts: 1 },
  18: { script: () => ok(), outcome: '200', attempts: 1 },
};
export const TOUR_RANGE = { start: 1, end: 18 };
export const tourScript: Script = (id, attempt) => TOUR[id]?.script(attempt) ?? status(418);

export function outcomeOf(aggregate: SweepAggregate, id: number): string | undefined {
  return Object.entries(aggregate.ids).find(([, form]) =>
    parseSpans(form).some(([first, last]) => first <= id && id <= last),
  )?.[0];
}

export function countsAddUp(aggregate: SweepAggregate): number {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return sum(aggregate.statuses) + sum(aggregate.errors) + aggregate.notAttempted;
}
