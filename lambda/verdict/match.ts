import { LAST_ID } from '../ground/expect-rules.js';
import { CheckKind, KeyedSpanWalk, NOT_ATTEMPTED, type Span, SpanText } from '../sweep/data.js';
import { type CompiledRule, DEFAULT_RULE, type Expectations } from './expectations.js';

/** Why an attempted id is unexpected: one reason per id, the words `unexpectedReasons` counts by. */
export const Reason = {
  /** A status its rule does not accept. */
  status: 'status',
  /** A status its rule accepts, with a body that failed the rule's `body` checks. */
  content: CheckKind.content,
  /** A status its rule accepts (and a body that passed), slower than its `maxLatencyMs`. */
  slow: CheckKind.slow,
  /** No status at all: an error kind. */
  error: 'error',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

/** Unexpected ids by reason; the four add up to `unexpected`. */
export type UnexpectedReasons = Readonly<Record<Reason, number>>;

/** Samples of unexpected status ids kept per sweep: `id 1026: 404, expected 2xx`. */
const MAX_STATUS_SAMPLES = 3;

/** How the attempted ids of a sweep measured up to their expectations. */
export interface ExpectationCount {
  /** Attempted ids whose outcome met their expectation. */
  readonly expected: number;
  /** Attempted ids whose outcome did not (errors always, a status the rule does not accept). */
  readonly unexpected: number;
  /** The unexpected ids in compact form ("1-97,99"); "" when there are none. */
  readonly unexpectedIds: string;
  /** Unexpected ids by reason. */
  readonly unexpectedReasons: UnexpectedReasons;
  /** A few ids whose status their rule does not accept, with what the rule wanted. */
  readonly statusSamples: readonly string[];
}

/** A stretch of ids decided by one rule. */
export type Segment = readonly [first: number, last: number, rule: CompiledRule];

/**
 * Pure: counts an aggregate's `ids` (outcome → compact ranges) against the rules by intersecting
 * ranges, never id by id, so a 1,000,000-id sweep costs what its ranges and rules cost. One walk
 * over every key's form in id order (read in place, no spans held nor sorted) writes the
 * unexpected ids' compact form as it goes. Ids never attempted are left out; an error never meets
 * an expectation (no status was learnt). Throws a RangeError for a form that is not ascending
 * spans, or for keys whose ids overlap.
 */
export function countExpectations(
  ids: Readonly<Record<string, string>>,
  expectations: Expectations,
): ExpectationCount {
  const segments = cover(expectations);
  const unexpectedIds = new SpanText();
  const reasons: Record<Reason, number> = { status: 0, content: 0, slow: 0, error: 0 };
  const statusSamples: string[] = [];
  let expected = 0;
  let unexpected = 0;
  const attempted = Object.entries(ids).filter(([key]) => key !== NOT_ATTEMPTED);
  // What each key is, worked out once: a status, or the reason its ids are unexpected.
  const statuses = new Map(attempted.map(([key]) => [key, Number(key)]));
  const walk = new KeyedSpanWalk(Object.fromEntries(attempted));
  let s = 0;
  while (walk.next()) {
    const { first, last, key } = walk;
    const status = statuses.get(key) as number;
    if (!Number.isInteger(status)) {
      const reason = key === Reason.content || key === Reason.slow ? key : Reason.error;
      unexpected += last - first + 1;
      reasons[reason] += last - first + 1;
      unexpectedIds.add(first, last);
      continue;
    }
    // Segments cover every id and ascend, as the walk does: one pass over both.
    while ((segments[s] as Segment)[1] < first) s++;
    for (let t = s; ; t++) {
      const [segFirst, segLast, rule] = segments[t] as Segment;
      const a = Math.max(first, segFirst);
      const b = Math.min(last, segLast);
      if (rule.accepts(status)) expected += b - a + 1;
      else {
        unexpected += b - a + 1;
        reasons.status += b - a + 1;
        unexpectedIds.add(a, b);
        if (statusSamples.length < MAX_STATUS_SAMPLES) {
          statusSamples.push(`id ${a}: ${status}, expected ${rule.statuses}`);
        }
      }
      if (segLast >= last) break;
    }
  }
  return {
    expected,
    unexpected,
    unexpectedIds: unexpectedIds.toString(),
    unexpectedReasons: reasons,
    statusSamples,
  };
}

/**
 * Every id from 0 up, as ascending segments each decided by its first covering rule; ids no rule
 * names are held to the default expectation (2xx or 3xx).
 */
export function cover(expectations: Expectations): Segment[] {
  const claimed: Segment[] = [];
  let taken: Span[] = [];
  for (const rule of expectations.rules) {
    for (const span of subtract(rule.spans, taken)) claimed.push([span[0], span[1], rule]);
    taken = union(taken, rule.spans);
  }
  claimed.sort((x, y) => x[0] - y[0]);
  const segments: Segment[] = [];
  let next = 0;
  for (const segment of claimed) {
    if (segment[0] > next) segments.push([next, segment[0] - 1, DEFAULT_RULE]);
    segments.push(segment);
    next = segment[1] + 1;
  }
  if (next <= LAST_ID) segments.push([next, LAST_ID, DEFAULT_RULE]);
  return segments;
}

/** `spans` minus `taken`, both ascending and disjoint. */
function subtract(spans: readonly Span[], taken: readonly Span[]): Span[] {
  const out: Span[] = [];
  let t = 0;
  for (const [first, last] of spans) {
    let from = first;
    while (t < taken.length && (taken[t] as Span)[1] < from) t++;
    for (let u = t; u < taken.length && from <= last; u++) {
      const [takenFirst, takenLast] = taken[u] as Span;
      if (takenFirst > last) break;
      if (takenFirst > from) out.push([from, takenFirst - 1]);
      from = takenLast + 1;
    }
    if (from <= last) out.push([from, last]);
  }
  return out;
}

/** The union of two ascending disjoint span lists, coalesced. */
function union(a: readonly Span[], b: readonly Span[]): Span[] {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [first, last] of all) {
    const prev = out.at(-1);
    if (prev && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
    else out.push([first, last]);
  }
  return out;
}
