import {
  type ConfirmSummary,
  ErrorKind,
  formatSpans,
  NOT_ATTEMPTED,
  parseSpans,
  type Span,
  SpanBuilder,
  type SweepAggregate,
  unionSpans,
} from '../sweep/data.js';
import type { Expectations } from './expectations.js';
import { countExpectations } from './match.js';

/*
 * The confirmation pass's arithmetic, pure: which ids to request again, and the aggregate once
 * those that met their expectation the second time (flaky) carry their confirming outcome. The
 * requesting itself happens above (entry/confirm.ts); the engine only sweeps a list of ids.
 */

/** Outcome keys whose ids are never requested again: not started, or cut by the deadline. */
const UNCONFIRMABLE: ReadonlySet<string> = new Set([NOT_ATTEMPTED, ErrorKind.aborted]);

/** The ids to request again: unexpected ones with an outcome, ascending, at most `max`. */
export function confirmCandidates(
  aggregate: SweepAggregate,
  expectations: Expectations,
  max: number,
): { readonly ids: number[]; readonly more: boolean } {
  // Disjoint (each id has one outcome) and ascending: walked beside the unexpected spans, so a
  // stretch of unconfirmable ids is stepped over whole rather than id by id.
  const unconfirmable = Object.entries(aggregate.ids)
    .filter(([key]) => UNCONFIRMABLE.has(key))
    .flatMap(([, form]) => parseSpans(form))
    .sort(([a], [b]) => a - b);
  const ids: number[] = [];
  let u = 0;
  for (const [first, last] of parseSpans(
    countExpectations(aggregate.ids, expectations).unexpectedIds,
  )) {
    for (let id = first; id <= last; ) {
      while (u < unconfirmable.length && (unconfirmable[u] as Span)[1] < id) u++;
      const skip = unconfirmable[u];
      if (skip !== undefined && skip[0] <= id) {
        id = skip[1] + 1;
        continue;
      }
      const end = skip === undefined ? last : Math.min(last, skip[0] - 1);
      for (; id <= end; id++) {
        if (ids.length === max) return { ids, more: true };
        ids.push(id);
      }
    }
  }
  return { ids, more: false };
}

/** The main pass with its flaky ids' outcomes replaced by their confirming ones. */
export interface Confirmed {
  readonly aggregate: SweepAggregate;
  readonly flaky: readonly Span[];
}

/**
 * Pure: `main` once the ids of `again` (the confirmation pass over `requested`) that met their
 * expectation take that outcome; the others keep the main pass's. `checkedStatus` gives the
 * status of a main-pass id whose outcome is a failed check (counted under it in `statuses`).
 */
export function confirmOutcomes(
  main: SweepAggregate,
  again: SweepAggregate,
  requested: readonly number[],
  expectations: Expectations,
  checkedStatus: (id: number) => number | undefined,
  skipped?: string,
): Confirmed {
  // Ids the second pass never answered (the deadline) are neither confirmed nor flaky.
  const answered = Object.fromEntries(
    Object.entries(again.ids).filter(([key]) => !UNCONFIRMABLE.has(key)),
  );
  const stillUnexpected = idsOf(
    parseSpans(countExpectations(answered, expectations).unexpectedIds),
  );
  const flakyKey = new Map<number, string>();
  for (const [key, form] of Object.entries(answered)) {
    for (const id of idsOf(parseSpans(form))) if (!stillUnexpected.has(id)) flakyKey.set(id, key);
  }
  const flaky = [...flakyKey.keys()].sort((a, b) => a - b);
  const statuses: Record<string, number> = { ...main.statuses };
  const errors: Record<string, number> = { ...main.errors };
  const ids: Record<string, string> = {};
  for (const [key, form] of Object.entries(main.ids)) {
    const { kept, removed } = without(parseSpans(form), flakyKey);
    for (const id of removed) {
      const counted = key in errors ? errors : statuses;
      const countedAs = Number.isInteger(Number(key)) || key in errors ? key : checkedStatus(id);
      if (countedAs !== undefined) counted[countedAs] = (counted[countedAs] ?? 0) - 1;
    }
    if (kept.length > 0) ids[key] = formatSpans(kept);
  }
  const flakyByKey = new Map<string, number[]>();
  for (const id of flaky) {
    const key = flakyKey.get(id) as string;
    statuses[key] = (statuses[key] ?? 0) + 1;
    const keyIds = flakyByKey.get(key);
    if (keyIds === undefined) flakyByKey.set(key, [id]);
    else keyIds.push(id);
  }
  // One union per key, not one per id (each union reads and writes the key's whole form).
  for (const [key, keyIds] of flakyByKey) {
    ids[key] = unionSpans(ids[key] ?? '', formatSpans(spansOf(keyIds)));
  }
  const confirmed = requested.filter((id) => stillUnexpected.has(id)).length;
  const confirm: ConfirmSummary = {
    requested: requested.length,
    confirmed,
    flakyIds: formatSpans(spansOf(flaky)),
    ...(skipped !== undefined && { skipped }),
  };
  const aggregate: SweepAggregate = {
    ...main,
    statuses: sorted(nonZero(statuses)),
    errors: errors as SweepAggregate['errors'],
    ids: sorted(ids),
    attempts: main.attempts + again.attempts,
    retries: main.retries + again.retries,
    resends: main.resends + again.resends,
    throttlePauses: main.throttlePauses + again.throttlePauses,
    endedAt: again.endedAt,
    confirm,
  };
  return { aggregate, flaky: spansOf(flaky) };
}

function* idsOfSpans(spans: readonly Span[]): Generator<number> {
  for (const [first, last] of spans) for (let id = first; id <= last; id++) yield id;
}

function idsOf(spans: readonly Span[]): Set<number> {
  return new Set(idsOfSpans(spans));
}

/** Spans of ascending ids. */
function spansOf(ids: readonly number[]): Span[] {
  const builder = new SpanBuilder();
  for (const id of ids) builder.add(id);
  return builder.spans();
}

/**
 * The spans without the ids in `out`, and which of those they held (ascending): one walk of the
 * ascending spans beside the sorted ids.
 */
function without(
  spans: readonly Span[],
  out: ReadonlyMap<number, unknown>,
): { kept: Span[]; removed: number[] } {
  const ids = [...out.keys()].sort((a, b) => a - b);
  const removed: number[] = [];
  const builder = new SpanBuilder();
  let next = 0;
  for (const [first, last] of spans) {
    while (next < ids.length && (ids[next] as number) < first) next++;
    let from = first;
    for (; next < ids.length && (ids[next] as number) <= last; next++) {
      const id = ids[next] as number;
      removed.push(id);
      if (id > from) builder.add(from, id - 1);
      from = id + 1;
    }
    if (from <= last) builder.add(from, last);
  }
  return { kept: removed.length === 0 ? [...spans] : builder.spans(), removed };
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  );
}
