import type { ChangeSet, IdSet } from '../contract/changes.js';
import type { IdRange, Span } from '../sweep/data.js';
import { formatSpans, parseSpans, SpanBuilder, spanTotal } from '../sweep/data.js';
import { NO_OUTCOME_KEYS } from './expected.js';

/** A sweep as the diff reads it: its per-outcome ids and which attempted ids were unexpected. */
export interface JudgedSweep {
  readonly range: IdRange;
  /** Outcome key → compact ids, partitioning the range (the response's `ids`). */
  readonly ids: Readonly<Record<string, string>>;
  /** Attempted ids that did not meet their expectation, ascending and disjoint. */
  readonly unexpected: readonly Span[];
}

type State = 'met' | 'unmet' | 'none';
type Segment = readonly [first: number, last: number, key: string, state: State];
type Category = Exclude<keyof ChangeSet, 'transitions' | 'new'>;

const CATEGORY: Readonly<Record<`${State}→${State}`, Category>> = {
  'met→met': 'stillExpected',
  'met→unmet': 'newlyUnexpected',
  'unmet→met': 'recovered',
  'unmet→unmet': 'stillUnexpected',
  'none→met': 'notCompared',
  'none→unmet': 'notCompared',
  'none→none': 'notCompared',
  'met→none': 'notCompared',
  'unmet→none': 'notCompared',
};

/**
 * Pure: the changes from `baseline` to `current`, range-wise. Work is linear in the number of
 * stretches of equal outcome (after one sort), never in the number of ids, so a 1,000,000-id sweep
 * with a few thousand stretches diffs in milliseconds.
 */
export function diffSweeps(current: JudgedSweep, baseline: JudgedSweep): ChangeSet {
  const now = segments(current);
  const before = segments(baseline);
  const builders = new Map<Category, SpanBuilder>();
  const transitions = new Map<string, SpanBuilder>();
  const add = <K>(map: Map<K, SpanBuilder>, key: K, first: number, last: number) => {
    const builder = map.get(key) ?? new SpanBuilder();
    map.set(key, builder);
    builder.add(first, last);
  };
  const lo = Math.max(current.range.start, baseline.range.start);
  const hi = Math.min(current.range.end, baseline.range.end);
  let i = 0;
  let j = 0;
  for (let x = lo; x <= hi; ) {
    while ((now[i]?.[1] ?? Number.POSITIVE_INFINITY) < x) i++;
    while ((before[j]?.[1] ?? Number.POSITIVE_INFINITY) < x) j++;
    const a = now[i];
    const b = before[j];
    if (a === undefined || b === undefined || a[0] > x || b[0] > x) {
      throw new RangeError(`id ${x} has no outcome in one of the two sweeps`);
    }
    const end = Math.min(a[1], b[1], hi);
    add(builders, CATEGORY[`${b[3]}→${a[3]}`], x, end);
    if (a[2] !== b[2]) add(transitions, `${b[2]}→${a[2]}`, x, end);
    x = end + 1;
  }
  const idSet = (category: Category) => toIdSet(builders.get(category)?.spans() ?? []);
  return {
    newlyUnexpected: idSet('newlyUnexpected'),
    recovered: idSet('recovered'),
    stillUnexpected: idSet('stillUnexpected'),
    stillExpected: idSet('stillExpected'),
    notCompared: idSet('notCompared'),
    transitions: Object.fromEntries(
      [...transitions.keys()].sort().map((key) => [key, formatSpans(spansOf(transitions, key))]),
    ),
    new: toIdSet(outside(current.range, baseline.range)),
  };
}

function spansOf(map: Map<string, SpanBuilder>, key: string): Span[] {
  return map.get(key)?.spans() ?? [];
}

function toIdSet(spans: readonly Span[]): IdSet {
  return { count: spanTotal(spans), ids: formatSpans(spans) };
}

/** The ids of `range` outside `other`, as at most two spans. */
function outside(range: IdRange, other: IdRange): Span[] {
  if (other.end < range.start || other.start > range.end) return [[range.start, range.end]];
  const spans: Span[] = [];
  if (range.start < other.start) spans.push([range.start, other.start - 1]);
  if (range.end > other.end) spans.push([other.end + 1, range.end]);
  return spans;
}

/** The sweep's stretches of one outcome key, each split where its expectation is met or not. */
function segments(sweep: JudgedSweep): Segment[] {
  const keyed: Array<readonly [number, number, string]> = [];
  for (const [key, form] of Object.entries(sweep.ids)) {
    for (const [first, last] of parseSpans(form)) keyed.push([first, last, key]);
  }
  keyed.sort((x, y) => x[0] - y[0]);
  const out: Segment[] = [];
  const unexpected = sweep.unexpected;
  let u = 0;
  for (const [first, last, key] of keyed) {
    if (NO_OUTCOME_KEYS.has(key)) {
      out.push([first, last, key, 'none']);
      continue;
    }
    for (let x = first; x <= last; ) {
      while ((unexpected[u]?.[1] ?? Number.POSITIVE_INFINITY) < x) u++;
      const span = unexpected[u];
      if (span === undefined || span[0] > last) {
        out.push([x, last, key, 'met']);
        break;
      }
      if (span[0] > x) out.push([x, span[0] - 1, key, 'met']);
      const end = Math.min(last, span[1]);
      out.push([Math.max(x, span[0]), end, key, 'unmet']);
      x = end + 1;
    }
  }
  return out;
}
