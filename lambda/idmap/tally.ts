import { CheckKind, ERROR_KINDS, NOT_ATTEMPTED } from '../sweep/data.js';
import { cellOf, type Layout } from './layout.js';
import { CLASS_ORDER, MapClass } from './palette.js';
import { forEachSpan } from './spans.js';
import type { MapSweep } from './sweep.js';

const ERROR_KEYS: ReadonlySet<string> = new Set(ERROR_KINDS);
const CLASSES = CLASS_ORDER.length;
const RANK: Readonly<Record<MapClass, number>> = Object.fromEntries(
  CLASS_ORDER.map((c, i) => [c, i]),
) as Record<MapClass, number>;

/** Every cell's ids counted by class, and the changes since the baseline it holds. */
export interface CellTally {
  readonly layout: Layout;
  /** cells × classes, in CLASS_ORDER: counts[cell * CLASSES + rank]. */
  readonly counts: Uint32Array;
  readonly newlyUnexpected: Uint32Array;
  readonly recovered: Uint32Array;
  /** Single-id cells only: the index in `keys` of the cell's outcome key, −1 when none. */
  readonly keyOf?: Int32Array;
  readonly keys: readonly string[];
  /** Ids per class over the whole range. */
  readonly totals: Readonly<Record<MapClass, number>>;
}

/** How many ids of `cell` are of `mapClass`. */
export function countOf(tally: CellTally, cell: number, mapClass: MapClass): number {
  return tally.counts[cell * CLASSES + RANK[mapClass]] ?? 0;
}

/**
 * Pure: counts each cell's ids by class, from the response's compact forms only. Work is linear
 * in the forms' spans plus the cells, never in the ids: a span over many cells fills them whole.
 * Errors and failed checks (`content`, `slow`) are always unexpected (the verdict's rule), so a
 * cell's ids unexpected by status are its unexpected ids less those, without intersecting forms.
 */
export function tallyCells(sweep: MapSweep, layout: Layout): CellTally {
  const { cells } = layout;
  const per = () => new Uint32Array(cells);
  const statuses = per();
  const errors = per();
  const notAttempted = per();
  const content = per();
  const slow = per();
  const into = (key: string): Uint32Array => {
    if (key === NOT_ATTEMPTED) return notAttempted;
    if (key === CheckKind.content) return content;
    if (key === CheckKind.slow) return slow;
    return ERROR_KEYS.has(key) ? errors : statuses;
  };
  const keys = Object.keys(sweep.ids ?? {});
  const keyOf = layout.idsPerCell === 1 ? new Int32Array(cells).fill(-1) : undefined;
  keys.forEach((key, index) => {
    addSpans(layout, sweep.ids?.[key], into(key), keyOf, index);
  });
  const judged = sweep.unexpectedIds !== undefined;
  const unexpected = judged ? addSpans(layout, sweep.unexpectedIds, per()) : per();
  const flaky = addSpans(layout, sweep.flakyIds, per());

  const counts = new Uint32Array(cells * CLASSES);
  const set = (cell: number, mapClass: MapClass, n: number) => {
    counts[cell * CLASSES + RANK[mapClass]] = n;
  };
  for (let cell = 0; cell < cells; cell++) {
    const error = errors[cell] as number;
    const withStatus = statuses[cell] as number;
    set(cell, MapClass.error, error);
    set(cell, MapClass.notAttempted, notAttempted[cell] as number);
    // A body or latency check that failed is unexpected whether or not the response is judged.
    const byContent = content[cell] as number;
    const bySlowness = slow[cell] as number;
    set(cell, MapClass.content, byContent);
    set(cell, MapClass.slow, bySlowness);
    if (!judged) {
      set(cell, MapClass.unjudged, withStatus);
      continue;
    }
    const checked = byContent + bySlowness;
    const unmet = Math.min(withStatus, Math.max(0, (unexpected[cell] as number) - error - checked));
    set(cell, MapClass.status, unmet);
    const met = withStatus - unmet;
    const flakyMet = Math.min(flaky[cell] as number, met);
    set(cell, MapClass.flaky, flakyMet);
    set(cell, MapClass.met, met - flakyMet);
  }
  const totals = Object.fromEntries(CLASS_ORDER.map((c) => [c, 0])) as Record<MapClass, number>;
  for (let i = 0; i < counts.length; i++) {
    const mapClass = CLASS_ORDER[i % CLASSES] as MapClass;
    totals[mapClass] += counts[i] as number;
  }
  return {
    layout,
    counts,
    newlyUnexpected: addSpans(layout, sweep.changes?.newlyUnexpected?.ids, per()),
    recovered: addSpans(layout, sweep.changes?.recovered?.ids, per()),
    keyOf,
    keys,
    totals,
  };
}

/** Adds each cell's share of `form`'s ids (clipped to the range) to `into`; returns `into`. */
function addSpans(
  layout: Layout,
  form: string | undefined,
  into: Uint32Array,
  keyOf?: Int32Array,
  key = -1,
): Uint32Array {
  if (form === undefined || form === '') return into;
  const { range, idsPerCell, origin } = layout;
  forEachSpan(form, (spanFirst, spanLast) => {
    const first = Math.max(spanFirst, range.start);
    const last = Math.min(spanLast, range.end);
    if (first > last) return;
    const from = cellOf(layout, first);
    const to = cellOf(layout, last);
    for (let cell = from; cell <= to; cell++) {
      const cellFirst = Math.max(first, origin + cell * idsPerCell);
      const cellLast = Math.min(last, origin + (cell + 1) * idsPerCell - 1);
      into[cell] = (into[cell] as number) + cellLast - cellFirst + 1;
      if (keyOf) keyOf[cell] = key;
    }
  });
  return into;
}
