import type { ChangeSet, IdSet } from '../contract/changes.js';
import { type IdRange, type Span, SpanText } from '../sweep/data.js';
import { JudgedWalk, State } from './judged-walk.js';

/** A sweep as the diff reads it: its per-outcome ids and which attempted ids were unexpected. */
export interface JudgedSweep {
  readonly range: IdRange;
  /** Outcome key → compact ids, partitioning the range (the response's `ids`). */
  readonly ids: Readonly<Record<string, string>>;
  /** Attempted ids that did not meet their expectation, ascending and disjoint (or their form). */
  readonly unexpected: readonly Span[] | string;
}

type Category = Exclude<keyof ChangeSet, 'transitions' | 'new'>;
const CATEGORIES: readonly Category[] = [
  'newlyUnexpected',
  'recovered',
  'stillUnexpected',
  'stillExpected',
  'notCompared',
];
const [NEWLY_UNEXPECTED, RECOVERED, STILL_UNEXPECTED, STILL_EXPECTED, NOT_COMPARED] = [
  0, 1, 2, 3, 4,
];
/** [state before][state now] → index in CATEGORIES: anything without an outcome is not compared. */
const CATEGORY: Readonly<Record<State, Readonly<Record<State, number>>>> = {
  [State.met]: {
    [State.met]: STILL_EXPECTED,
    [State.unmet]: NEWLY_UNEXPECTED,
    [State.none]: NOT_COMPARED,
  },
  [State.unmet]: {
    [State.met]: RECOVERED,
    [State.unmet]: STILL_UNEXPECTED,
    [State.none]: NOT_COMPARED,
  },
  [State.none]: {
    [State.met]: NOT_COMPARED,
    [State.unmet]: NOT_COMPARED,
    [State.none]: NOT_COMPARED,
  },
};
/** The clock is read once per this many stretches: cheap, and still a few ms apart at most. */
const CLOCK_EVERY = 4_096;

/** Thrown when the diff would pass the time it was given. */
export class DiffTooSlowError extends Error {
  override readonly name = 'DiffTooSlowError';
}

/**
 * Pure but for the clock: the changes from `baseline` to `current`, range-wise. One pass over
 * both sweeps' compact forms in id order (JudgedWalk), linear in their stretches and holding
 * only the answer, so a 1,000,000-id baseline of alternating outcomes is read in one pass. Throws
 * DiffTooSlowError once Date.now() passes `stopAt` (epoch ms), before holding the caller longer.
 */
export function diffSweeps(
  current: JudgedSweep,
  baseline: JudgedSweep,
  stopAt = Number.POSITIVE_INFINITY,
): ChangeSet {
  const now = new JudgedWalk(current.ids, current.unexpected);
  const before = new JudgedWalk(baseline.ids, baseline.unexpected);
  const categories = CATEGORIES.map(() => new IdSetBuilder());
  const transitions = new Map<string, IdSetBuilder>();
  const lo = Math.max(current.range.start, baseline.range.start);
  const hi = Math.min(current.range.end, baseline.range.end);
  let steps = 0;
  for (let x = lo; x <= hi; ) {
    advance(now, x);
    advance(before, x);
    const end = Math.min(now.last, before.last, hi);
    categories[CATEGORY[before.state][now.state]]?.add(x, end);
    if (now.key !== before.key) {
      const key = `${before.key}→${now.key}`;
      const builder = transitions.get(key) ?? new IdSetBuilder();
      transitions.set(key, builder);
      builder.add(x, end);
    }
    x = end + 1;
    if (++steps % CLOCK_EVERY === 0 && Date.now() > stopAt) {
      throw new DiffTooSlowError(`stopped at id ${x} of ${lo}-${hi}`);
    }
  }
  const [newlyUnexpected, recovered, stillUnexpected, stillExpected, notCompared] = categories.map(
    (b) => b.idSet(),
  );
  const none: IdSet = { count: 0, ids: '' };
  return {
    newlyUnexpected: newlyUnexpected ?? none,
    recovered: recovered ?? none,
    stillUnexpected: stillUnexpected ?? none,
    stillExpected: stillExpected ?? none,
    notCompared: notCompared ?? none,
    transitions: Object.fromEntries(
      [...transitions.keys()].sort().map((key) => [key, transitions.get(key)?.idSet().ids ?? '']),
    ),
    new: outside(current.range, baseline.range),
  };
}

/** Moves `walk` to the stretch holding id `x`; a gap means the ids do not partition the range. */
function advance(walk: JudgedWalk, x: number): void {
  while (walk.last < x) {
    if (!walk.next()) throw new RangeError(`id ${x} has no outcome in one of the two sweeps`);
  }
  if (walk.first > x) throw new RangeError(`id ${x} has no outcome in one of the two sweeps`);
}

/** An IdSet built from ascending runs as text, adjacent runs joined: no list of spans held. */
class IdSetBuilder {
  readonly #text = new SpanText();
  #count = 0;

  add(first: number, last: number): void {
    this.#count += last - first + 1;
    this.#text.add(first, last);
  }

  idSet(): IdSet {
    return { count: this.#count, ids: this.#text.toString() };
  }
}

/** The ids of `range` outside `other` (at most two spans) as an IdSet. */
function outside(range: IdRange, other: IdRange): IdSet {
  const set = new IdSetBuilder();
  if (other.end < range.start || other.start > range.end) {
    set.add(range.start, range.end);
    return set.idSet();
  }
  if (range.start < other.start) set.add(range.start, other.start - 1);
  if (range.end > other.end) set.add(other.end + 1, range.end);
  return set.idSet();
}
