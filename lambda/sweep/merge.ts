import {
  type ConfirmSummary,
  type FailedShard,
  type SweepAggregate,
  sortedKeys,
} from './aggregate.js';
import { mergedCheckFields } from './check-fields.js';
import { mergeErrorSamples } from './error-samples.js';
import { LatencyHistogram } from './histogram.js';
import type { ErrorKind } from './outcome.js';
import { SpanJoin } from './span-join.js';

/**
 * The aggregate of the union of adjacent ranges, exactly as one sweep of the union would report
 * it (clock fields aside), in any order. Linear in the size of the parts: they are sorted by
 * start and their ids joined end to end (SpanJoin). Throws when the ranges are not adjacent.
 */
export function mergeAggregates(...parts: readonly SweepAggregate[]): SweepAggregate {
  const sorted = [...parts].sort((a, b) => a.range.start - b.range.start);
  const [first, ...rest] = sorted;
  if (!first) throw new RangeError('merging needs at least one aggregate');
  let end = first.range.end;
  for (const part of rest) {
    if (part.range.start !== end + 1) {
      throw new RangeError(
        `only adjacent ranges merge: ${part.range.start}-${part.range.end} after one ending at ${end}`,
      );
    }
    end = part.range.end;
  }
  const joins = new Map<string, SpanJoin>();
  const latency = LatencyHistogram.fromJSON(first.latency);
  let statuses: Record<string, number> = {};
  let errors: Record<string, number> = {};
  const failedShards: FailedShard[] = [];
  for (const part of sorted) {
    for (const [key, form] of Object.entries(part.ids)) {
      const join = joins.get(key) ?? new SpanJoin();
      joins.set(key, join);
      join.append(form);
    }
    if (part !== first) latency.merge(part.latency);
    statuses = addCounts(statuses, part.statuses);
    errors = addCounts(errors, part.errors);
    if (part.failedShards) failedShards.push(...part.failedShards);
  }
  const sum = (pick: (a: SweepAggregate) => number) => sorted.reduce((n, a) => n + pick(a), 0);
  return {
    range: { start: first.range.start, end },
    total: sum((a) => a.total),
    complete: sorted.every((a) => a.complete),
    statuses: sortedKeys(statuses),
    errors: errors as Record<ErrorKind, number>,
    notAttempted: sum((a) => a.notAttempted),
    ids: sortedKeys(Object.fromEntries([...joins].map(([key, join]) => [key, join.toString()]))),
    latency: latency.toJSON(),
    attempts: sum((a) => a.attempts),
    retries: sum((a) => a.retries),
    resends: sum((a) => a.resends),
    throttlePauses: sum((a) => a.throttlePauses),
    errorSamples: mergeErrorSamples(sorted.map((a) => a.errorSamples)),
    ...mergedCheckFields(sorted),
    startedAt: Math.min(...sorted.map((a) => a.startedAt)),
    endedAt: Math.max(...sorted.map((a) => a.endedAt)),
    ...(sorted.some((a) => a.failedShards) && { failedShards }),
    ...mergedConfirm(sorted),
  };
}

/** The shards' confirmation passes as one: counts summed, flaky ids joined, reasons listed once. */
function mergedConfirm(sorted: readonly SweepAggregate[]): { confirm?: ConfirmSummary } {
  const parts = sorted.flatMap((a) => (a.confirm ? [a.confirm] : []));
  if (parts.length === 0) return {};
  const flaky = new SpanJoin();
  for (const part of parts) flaky.append(part.flakyIds);
  const skipped = [...new Set(parts.flatMap((p) => (p.skipped ? [p.skipped] : [])))].join('; ');
  return {
    confirm: {
      requested: parts.reduce((n, p) => n + p.requested, 0),
      confirmed: parts.reduce((n, p) => n + p.confirmed, 0),
      flakyIds: flaky.toString(),
      ...(skipped !== '' && { skipped }),
    },
  };
}

function addCounts(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [key, n] of Object.entries(b)) out[key] = (out[key] ?? 0) + n;
  return out;
}
