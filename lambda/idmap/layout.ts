import type { IdRange } from '../sweep/data.js';

/** Cells per row: a row of single-id cells holds 100 ids, so ids read as row + column. */
export const CELLS_PER_ROW = 100;
/**
 * The most cells a map draws. A cell costs ~150 bytes of SVG when its ids are of four classes and
 * changed (its rect and title), so a map stays within ~300 KB however fragmented its sweep; larger
 * ranges put blocks of ids in a cell. 1,000,000 ids are 2,000 cells of 500.
 */
export const MAX_CELLS = 2_000;
/** Block sizes of ids per cell, so that a row's ids are a round number (100, 200, 500, 1,000…). */
const STEPS = [1, 2, 5] as const;

/** Where each id is drawn: rows of CELLS_PER_ROW cells of `idsPerCell` ids, from the range's start. */
export interface Layout {
  readonly range: IdRange;
  readonly idsPerCell: number;
  /** The first id of the first row: the range's start. */
  readonly origin: number;
  readonly cells: number;
  readonly rows: number;
}

/** Pure: the smallest round block of ids per cell that keeps the map within MAX_CELLS cells. */
export function layoutFor(range: IdRange): Layout {
  for (let scale = 1; ; scale *= 10) {
    for (const step of STEPS) {
      const idsPerCell = step * scale;
      const cells = Math.ceil((range.end - range.start + 1) / idsPerCell);
      if (cells <= MAX_CELLS) {
        const rows = Math.ceil(cells / CELLS_PER_ROW);
        return { range, idsPerCell, origin: range.start, cells, rows };
      }
    }
  }
}

/** The cell holding `id`. */
export function cellOf(layout: Layout, id: number): number {
  return Math.floor((id - layout.origin) / layout.idsPerCell);
}

/** The ids of the range a cell holds: [first, last] (the last cell may hold fewer). */
export function idsOfCell(layout: Layout, cell: number): readonly [number, number] | undefined {
  const first = Math.max(layout.range.start, layout.origin + cell * layout.idsPerCell);
  const last = Math.min(layout.range.end, layout.origin + (cell + 1) * layout.idsPerCell - 1);
  return first <= last ? [first, last] : undefined;
}
