import * as v from 'valibot';
import type { Changes } from '../contract/changes.js';
import { InvalidBaselineError } from '../ground/errors.js';
import {
  formatSpans,
  type IdRange,
  partitionsRange,
  SpanBuilder,
  SpanCursor,
} from '../sweep/data.js';
import { diffSweeps, type JudgedSweep } from './diff.js';
import type { UnexpectedIds } from './expected.js';

/** What a baseline needs of an earlier sweep's response; the rest of it is kept but unread. */
export interface Baseline {
  readonly sweepId: string;
  /** ISO 8601; absent in responses from before it was reported. */
  readonly endedAt?: string;
  readonly range: { readonly start: number; readonly end: number };
  readonly complete: boolean;
  readonly ids: Readonly<Record<string, string>>;
  /** The verdict's unexpected ids, when the baseline has them: judged by its own rules. */
  readonly unexpectedIds?: string;
}

const id = v.pipe(v.number(), v.integer(), v.minValue(0));
const BaselineSchema = v.object({
  sweepId: v.pipe(v.string(), v.minLength(1)),
  endedAt: v.optional(v.string()),
  range: v.object({ start: id, end: id }),
  complete: v.boolean(),
  ids: v.record(v.string(), v.string()),
  unexpectedIds: v.optional(v.string()),
});

/** Checks an earlier response as a baseline: its ids must partition its range exactly. */
export function parseBaseline(value: unknown): Baseline {
  const result = v.safeParse(BaselineSchema, value);
  if (!result.success) {
    const fields = result.issues.map((issue) => v.getDotPath(issue) ?? '(document)');
    throw new InvalidBaselineError(
      `not a sweep response: ${[...new Set(fields)].join(', ')} missing or malformed`,
    );
  }
  const baseline = result.output;
  let partitions = false;
  try {
    partitions = partitionsRange(Object.values(baseline.ids), baseline.range);
  } catch (cause) {
    throw new InvalidBaselineError(`its ids are not compact ranges: ${String(cause)}`, { cause });
  }
  if (!partitions) {
    throw new InvalidBaselineError(
      `its ids do not cover ${baseline.range.start}-${baseline.range.end} exactly once`,
    );
  }
  return baseline;
}

/**
 * Pure: the changes from `baseline` to the current sweep (judged by its verdict). A baseline that
 * reports its `unexpectedIds` is judged by its own rules, one that does not by `unexpected`.
 */
export function changesSince(
  current: JudgedSweep,
  baseline: Baseline,
  unexpected: UnexpectedIds,
  stopAt?: number,
): Changes {
  // Judged where the sweeps overlap only: a 10,000-id sweep compared with a 1,000,000-id
  // baseline judges 10,000 of its ids, not all of them.
  const shared = {
    start: Math.max(current.range.start, baseline.range.start),
    end: Math.min(current.range.end, baseline.range.end),
  };
  const before: JudgedSweep = {
    range: baseline.range,
    ids: baseline.ids,
    unexpected: baseline.unexpectedIds ?? unexpected(clipIds(baseline.ids, shared)),
  };
  return {
    baseline: { sweepId: baseline.sweepId, endedAt: baseline.endedAt ?? null },
    ...diffSweeps(current, before, stopAt),
  };
}

/** The ids of each outcome within `range` (compact forms read in place; none when empty). */
function clipIds(
  ids: Readonly<Record<string, string>>,
  range: IdRange,
): Readonly<Record<string, string>> {
  const clipped: Record<string, string> = {};
  for (const [key, form] of Object.entries(ids)) {
    const cursor = new SpanCursor(form);
    const builder = new SpanBuilder();
    while (cursor.next() && cursor.first <= range.end) {
      if (cursor.last >= range.start) {
        builder.add(Math.max(cursor.first, range.start), Math.min(cursor.last, range.end));
      }
    }
    const spans = builder.spans();
    if (spans.length > 0) clipped[key] = formatSpans(spans);
  }
  return clipped;
}
