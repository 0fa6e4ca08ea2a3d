import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExpectRule, parseIds } from '../../lambda/ground/expect-rules.js';
import { type SweepAggregate, summarize, Tally } from '../../lambda/sweep/aggregate.js';
import type { Outcome } from '../../lambda/sweep/outcome.js';
import { formatSpans, SpanBuilder } from '../../lambda/sweep/range.js';
import {
  acceptor,
  compileExpectations,
  DEFAULT_EXPECTATIONS,
} from '../../lambda/verdict/expectations.js';
import { countExpectations } from '../../lambda/verdict/match.js';

const POKEAPI: ExpectRule[] = [
  { ids: '1-1025', statuses: ['2xx'] },
  { ids: '1026-', statuses: [404] },
];

/** An aggregate of `range` whose ids end as `outcomeOf(id)` says (undefined: not attempted). */
function aggregateOf(
  start: number,
  end: number,
  outcomeOf: (id: number) => Outcome | undefined,
): SweepAggregate {
  const tally = new Tally({ start, end });
  for (let id = start; id <= end; id++) {
    const outcome = outcomeOf(id);
    if (outcome) tally.settle(id, outcome, outcome.kind === 'status' ? 1 : undefined);
  }
  return summarize(tally, { startedAt: 0, endedAt: 1 });
}

const status = (s: number): Outcome => ({ kind: 'status', status: s });

/** The counts a naive reading gives too: expected, unexpected and their ids. */
function countOf(...args: Parameters<typeof countExpectations>) {
  const { expected, unexpected, unexpectedIds } = countExpectations(...args);
  return { expected, unexpected, unexpectedIds };
}
const pokeapi = (id: number) => status(id >= 1 && id <= 1025 ? 200 : 404);

describe('countExpectations', () => {
  it('counts every id of 1-1030 as expected under the PokéAPI rules', () => {
    const aggregate = aggregateOf(1, 1030, pokeapi);

    expect(countOf(aggregate.ids, compileExpectations(POKEAPI))).toEqual({
      expected: 1030,
      unexpected: 0,
      unexpectedIds: '',
    });
  });

  it('counts the 404s above 1025 as unexpected under the default rules', () => {
    const aggregate = aggregateOf(1020, 1030, pokeapi);

    expect(countOf(aggregate.ids, DEFAULT_EXPECTATIONS)).toEqual({
      expected: 6,
      unexpected: 5,
      unexpectedIds: '1026-1030',
    });
  });

  it('lets the first rule that names an id decide it, whatever the later rules say', () => {
    const aggregate = aggregateOf(1, 10, () => status(404));
    const rules = compileExpectations([
      { ids: '1-3', statuses: [200] },
      { ids: '1-10', statuses: [404] },
    ]);

    expect(countOf(aggregate.ids, rules)).toEqual({
      expected: 7,
      unexpected: 3,
      unexpectedIds: '1-3',
    });
  });

  it('holds ids no rule names to the default, 2xx or 3xx', () => {
    const aggregate = aggregateOf(1, 6, (id) => status(id <= 3 ? 301 : 404));
    const rules = compileExpectations([{ ids: '5-6', statuses: [404] }]);

    expect(countOf(aggregate.ids, rules)).toEqual({
      expected: 5,
      unexpected: 1,
      unexpectedIds: '4',
    });
  });

  it('counts errors as unexpected whatever the rules, and leaves out ids never attempted', () => {
    const aggregate = aggregateOf(1, 6, (id) =>
      id <= 2
        ? { kind: 'error', error: 'timeout' }
        : id === 3
          ? { kind: 'error', error: 'aborted' }
          : id === 4
            ? status(200)
            : undefined,
    );

    expect(countOf(aggregate.ids, compileExpectations([{ statuses: ['5xx'] }]))).toEqual({
      expected: 0,
      unexpected: 4,
      unexpectedIds: '1-4',
    });
  });

  it('agrees id by id with a naive reading of the rules, and expected + unexpected = attempted', () => {
    const outcomes: Outcome[] = [
      status(200),
      status(301),
      status(404),
      status(503),
      { kind: 'error', error: 'timeout' },
    ];
    const outcome = fc.option(fc.constantFrom(...outcomes), { freq: 6, nil: undefined });
    const rule = fc.record({
      mask: fc.array(fc.boolean(), { maxLength: 80 }),
      openEnd: fc.boolean(),
      statuses: fc.subarray(['2xx', '3xx', '4xx', 200, 404, 503] as const, { minLength: 1 }),
      everyId: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(outcome, { minLength: 1, maxLength: 120 }),
        fc.array(rule, { minLength: 1, maxLength: 5 }),
        (start, ends, ruleSpecs) => {
          const end = start + ends.length - 1;
          const aggregate = aggregateOf(start, end, (id) => ends[id - start]);
          const rules = ruleSpecs.map(toRule).filter((r) => r.ids !== '');

          const count = countOf(aggregate.ids, compileExpectations(rules));

          const naive = naiveCount(rules, start, ends);
          expect(count).toEqual(naive);
          expect(count.expected + count.unexpected).toBe(aggregate.total - aggregate.notAttempted);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts 1,000,000 ids by their ranges, not id by id', () => {
    // Every tenth id a 404 above 500,000: 50,000 runs of unexpected ids under the default rules.
    const aggregate = aggregateOf(1, 1_000_000, (id) =>
      status(id > 500_000 && id % 10 === 0 ? 404 : 200),
    );
    const rules = compileExpectations(POKEAPI);

    const started = performance.now();
    const count = countExpectations(aggregate.ids, rules);
    const ms = performance.now() - started;

    expect(count.expected + count.unexpected).toBe(1_000_000);
    expect(count.unexpected).toBe(1_000_000 - 1025 - 50_000);
    // Tens of ms on a laptop; generous for a shared, slow machine.
    expect(ms).toBeLessThan(2_000);
  });
});

/** What `ruleSpec` says as a rule: ids from its mask (and an open end after it), or every id. */
function toRule(spec: {
  mask: boolean[];
  openEnd: boolean;
  statuses: readonly (string | number)[];
  everyId: boolean;
}): ExpectRule {
  if (spec.everyId) return { statuses: spec.statuses };
  const builder = new SpanBuilder();
  spec.mask.forEach((on, id) => {
    if (on) builder.add(id);
  });
  const closed = formatSpans(builder.spans());
  const open = spec.openEnd ? `${spec.mask.length + 1}-` : '';
  return { ids: [closed, open].filter((p) => p !== '').join(','), statuses: spec.statuses };
}

/** The rules read id by id: the oracle. */
function naiveCount(
  rules: readonly ExpectRule[],
  start: number,
  ends: readonly (Outcome | undefined)[],
): { expected: number; unexpected: number; unexpectedIds: string } {
  const compiled = rules.map((r) => ({
    spans: r.ids === undefined ? undefined : parseIds(r.ids),
    accepts: acceptor(r.statuses),
  }));
  const fallback = acceptor(['2xx', '3xx']);
  let expected = 0;
  const unexpected = new SpanBuilder();
  let unexpectedCount = 0;
  ends.forEach((outcome, i) => {
    const id = start + i;
    if (outcome === undefined) return;
    const rule = compiled.find((r) => !r.spans || r.spans.some(([a, b]) => id >= a && id <= b));
    const met = outcome.kind === 'status' && (rule?.accepts ?? fallback)(outcome.status);
    if (met) expected++;
    else {
      unexpectedCount++;
      unexpected.add(id);
    }
  });
  return {
    expected,
    unexpected: unexpectedCount,
    unexpectedIds: formatSpans(unexpected.spans()),
  };
}
