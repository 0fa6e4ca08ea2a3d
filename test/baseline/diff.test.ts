import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesSince } from '../../lambda/baseline/baseline.js';
import { diffSweeps, type JudgedSweep } from '../../lambda/baseline/diff.js';
import { defaultUnexpected, NO_OUTCOME_KEYS } from '../../lambda/baseline/expected.js';
import type { ChangeSet } from '../../lambda/contract/changes.js';
import {
  formatSpans,
  type IdRange,
  parseSpans,
  partitionsRange,
  SpanBuilder,
} from '../../lambda/sweep/range.js';

const KEYS = ['200', '301', '404', '500', 'timeout', 'notAttempted', 'aborted'] as const;

/** A sweep from stretches of outcome keys, judged by the default expectation. */
function sweepOf(start: number, stretches: ReadonlyArray<readonly [string, number]>): JudgedSweep {
  const builders = new Map<string, SpanBuilder>();
  let id = start;
  for (const [key, length] of stretches) {
    const builder = builders.get(key) ?? new SpanBuilder();
    builders.set(key, builder);
    builder.add(id, id + length - 1);
    id += length;
  }
  const ids = Object.fromEntries(
    [...builders].map(([key, builder]) => [key, formatSpans(builder.spans())]),
  );
  return { range: { start, end: id - 1 }, ids, unexpected: defaultUnexpected(ids) };
}

const sweepArb = fc
  .tuple(
    fc.integer({ min: 0, max: 40 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: 1, max: 6 })), {
      minLength: 1,
      maxLength: 12,
    }),
  )
  .map(([start, stretches]) => sweepOf(start, stretches));

/** Every id of a compact form. */
function idsOf(form: string): number[] {
  return parseSpans(form).flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
}

/** The outcome key of one id. */
function keyOf(sweep: JudgedSweep, id: number): string {
  const entry = Object.entries(sweep.ids).find(([, form]) => idsOf(form).includes(id));
  return entry?.[0] ?? 'none';
}

/** The default expectation, one key at a time: a final 2xx or 3xx. */
const isAnswered = (key: string) => /^[23]\d\d$/.test(key);

/** The oracle: one id at a time, as the issue defines the categories. */
function stateOf(sweep: JudgedSweep, id: number): 'met' | 'unmet' | 'none' {
  const key = keyOf(sweep, id);
  if (NO_OUTCOME_KEYS.has(key)) return 'none';
  return isAnswered(key) ? 'met' : 'unmet';
}

const CATEGORIES = [
  'newlyUnexpected',
  'recovered',
  'stillUnexpected',
  'stillExpected',
  'notCompared',
] as const;

function overlap(a: IdRange, b: IdRange): IdRange | undefined {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start <= end ? { start, end } : undefined;
}

describe('the diff of two sweeps', () => {
  it('reports 200→404, 500→200 and a timeout that recovers, by id range', () => {
    const before = sweepOf(1, [
      ['200', 6],
      ['timeout', 1],
      ['200', 93],
      ['500', 1],
    ]);
    const now = sweepOf(1, [
      ['200', 97],
      ['404', 3],
      ['200', 1],
    ]);

    const changes = diffSweeps(now, before);

    expect(changes.transitions).toEqual({
      '200→404': '98-100',
      '500→200': '101',
      'timeout→200': '7',
    });
    expect(changes.newlyUnexpected).toEqual({ count: 3, ids: '98-100' });
    expect(changes.recovered).toEqual({ count: 2, ids: '7,101' });
  });

  it('names the ids and counts of each category', () => {
    const before = sweepOf(1, [
      ['200', 97],
      ['500', 1],
      ['404', 2],
    ]);
    const now = sweepOf(1, [
      ['200', 97],
      ['200', 1],
      ['404', 2],
      ['200', 3],
    ]);

    const changes = diffSweeps(now, before);

    expect(changes).toMatchObject({
      newlyUnexpected: { count: 0, ids: '' },
      recovered: { count: 1, ids: '98' },
      stillUnexpected: { count: 2, ids: '99-100' },
      stillExpected: { count: 97, ids: '1-97' },
      notCompared: { count: 0, ids: '' },
      transitions: { '500→200': '98' },
      new: { count: 3, ids: '101-103' },
    });
  });

  it('partitions the ids both sweeps share into its five categories', () => {
    fc.assert(
      fc.property(sweepArb, sweepArb, (now, before) => {
        const changes = diffSweeps(now, before);
        const shared = overlap(now.range, before.range);
        const forms = CATEGORIES.map((c) => changes[c].ids).filter((f) => f !== '');
        if (shared === undefined) expect(forms).toEqual([]);
        else expect(partitionsRange(forms, shared)).toBe(true);
        for (const c of CATEGORIES) expect(changes[c].count).toBe(idsOf(changes[c].ids).length);
      }),
    );
  });

  it('agrees with judging one id at a time', () => {
    fc.assert(
      fc.property(sweepArb, sweepArb, (now, before) => {
        const changes = diffSweeps(now, before);
        const category = (id: number) => CATEGORIES.find((c) => idsOf(changes[c].ids).includes(id));
        for (let id = now.range.start; id <= now.range.end; id++) {
          if (id < before.range.start || id > before.range.end) {
            expect(idsOf(changes.new.ids)).toContain(id);
            continue;
          }
          const pair = `${stateOf(before, id)}→${stateOf(now, id)}`;
          const expected = {
            'met→unmet': 'newlyUnexpected',
            'unmet→met': 'recovered',
            'unmet→unmet': 'stillUnexpected',
            'met→met': 'stillExpected',
          }[pair];
          expect(category(id)).toBe(expected ?? 'notCompared');
          const [from, to] = [keyOf(before, id), keyOf(now, id)];
          const transition = from === to ? undefined : changes.transitions[`${from}→${to}`];
          if (from !== to) expect(idsOf(transition ?? '')).toContain(id);
        }
      }),
    );
  });

  it('finds nothing changed between a sweep and itself', () => {
    fc.assert(
      fc.property(sweepArb, (sweep) => {
        const changes = diffSweeps(sweep, sweep);
        expect(changes.newlyUnexpected.count).toBe(0);
        expect(changes.recovered.count).toBe(0);
        expect(changes.transitions).toEqual({});
        expect(changes.new.count).toBe(0);
      }),
    );
  });

  it('swaps newly unexpected and recovered when the sweeps swap', () => {
    fc.assert(
      fc.property(sweepArb, sweepArb, (a, b) => {
        const forward: ChangeSet = diffSweeps(a, b);
        const backward: ChangeSet = diffSweeps(b, a);
        expect(backward.newlyUnexpected).toEqual(forward.recovered);
        expect(backward.recovered).toEqual(forward.newlyUnexpected);
        expect(backward.stillUnexpected).toEqual(forward.stillUnexpected);
        expect(backward.notCompared).toEqual(forward.notCompared);
      }),
    );
  });

  it('diffs 1,000,000 ids in 20,000 stretches range-wise in well under two seconds', () => {
    const stretches = (flip: number) =>
      Array.from({ length: 20_000 }, (_, i) => [i % flip === 0 ? '404' : '200', 50] as const);
    const before = sweepOf(1, stretches(7));
    const now = sweepOf(1, stretches(5));

    const startedAt = performance.now();
    const changes = diffSweeps(now, before);
    const elapsedMs = performance.now() - startedAt;

    expect(now.range.end).toBe(1_000_000);
    expect(changes.newlyUnexpected.count + changes.recovered.count).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});

describe('changes since a baseline', () => {
  it('judges the baseline by its own unexpected ids when it reports them', () => {
    const ids = { '200': '1-3', '404': '4' };

    const changes = changesSince(
      { range: { start: 1, end: 4 }, ids, unexpected: [[4, 4]] },
      {
        sweepId: 'b',
        endedAt: '2026-01-01T00:00:00.000Z',
        range: { start: 1, end: 4 },
        complete: true,
        ids,
        unexpectedIds: '',
      },
      defaultUnexpected,
    );

    expect(changes.baseline).toEqual({ sweepId: 'b', endedAt: '2026-01-01T00:00:00.000Z' });
    expect(changes.newlyUnexpected).toEqual({ count: 1, ids: '4' });
  });
});
