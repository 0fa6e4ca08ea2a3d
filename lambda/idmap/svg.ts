import { CheckKind } from '../sweep/data.js';
import { CELLS_PER_ROW, idsOfCell } from './layout.js';
import { CLASS_ORDER, CLASS_STYLE, MARK_STYLE, type MapClass, shareStep } from './palette.js';
import { type CellTally, countOf } from './tally.js';
import { escapeHtml, idsText, percent } from './text.js';

/** A cell's side and the distance between cells, in SVG user units (scaled to the width). */
export const CELL = 7;
export const PITCH = 8;
/** Room left of the rows for their first id. */
export const GUTTER = 64;

/** One drawn cell, or a run of equal pure cells in a row drawn as one rect. */
interface Drawn {
  column: number;
  span: number;
  first: number;
  last: number;
  css: string;
  title: string;
  /** Set for pure cells: equal signatures side by side merge into one rect. */
  signature?: string;
}

/**
 * Pure: the cells as SVG rows: each a rect with a CSS class (its worst class and share step,
 * and a mark for changes) and a title naming its ids and outcome. Side-by-side cells whose ids
 * are all of one class (and outcome, for single ids) are one rect, so a mostly healthy sweep is
 * a few rects and a fragmented one at most one per cell.
 */
export function cellsSvg(tally: CellTally): string {
  const { layout } = tally;
  const width = GUTTER + CELLS_PER_ROW * PITCH;
  const height = layout.rows * PITCH;
  const rows: string[] = [];
  for (let row = 0; row < layout.rows; row++) {
    const drawn: Drawn[] = [];
    for (let column = 0; column < CELLS_PER_ROW; column++) {
      const cell = row * CELLS_PER_ROW + column;
      if (cell >= layout.cells) break;
      const next = describe(tally, cell, column);
      if (next === undefined) continue;
      const previous = drawn.at(-1);
      if (
        previous?.signature !== undefined &&
        previous.signature === next.signature &&
        previous.column + previous.span === column
      ) {
        previous.span += 1;
        previous.last = next.last;
        previous.title = `${idsText(previous.first, previous.last)}${next.title.slice(next.title.indexOf(':'))}`;
      } else drawn.push(next);
    }
    const rowFirst = layout.origin + row * CELLS_PER_ROW * layout.idsPerCell;
    const rects = groupByClass(drawn).map((run) => {
      const drawnRects = run.map((d) => rect(d, run.length > 1 ? '' : ` class="${d.css}"`));
      const [only] = run;
      return run.length === 1 && only
        ? drawnRects[0]
        : `<g class="${run[0]?.css}">${drawnRects.join('')}</g>`;
    });
    rows.push(
      `<g transform="translate(${GUTTER},${row * PITCH})"><text x="-6" y="${CELL - 0.5}">${rowFirst}</text>${rects.join('')}</g>`,
    );
  }
  const label = `Id map: ${layout.range.start}-${layout.range.end}, ${layout.idsPerCell} id${layout.idsPerCell > 1 ? 's' : ''} per cell, ${CELLS_PER_ROW} cells per row`;
  return `<svg class="cells" viewBox="0 0 ${width} ${height}" width="${width}" aria-label="${escapeHtml(label)}">${rows.join('')}</svg>`;
}

function rect(d: Drawn, css: string): string {
  const size = d.span > 1 ? ` width="${d.span * PITCH - (PITCH - CELL)}"` : '';
  return `<rect x="${d.column * PITCH}"${size}${css}><title>${d.title}</title></rect>`;
}

/** Side-by-side cells of one CSS class, so that the class is written once for them (a `<g>`). */
function groupByClass(drawn: readonly Drawn[]): Drawn[][] {
  const runs: Drawn[][] = [];
  for (const d of drawn) {
    const run = runs.at(-1);
    if (run?.[0]?.css === d.css) run.push(d);
    else runs.push([d]);
  }
  return runs;
}

function describe(tally: CellTally, cell: number, column: number): Drawn | undefined {
  const ids = idsOfCell(tally.layout, cell);
  if (ids === undefined) return undefined;
  const [first, last] = ids;
  const n = last - first + 1;
  const present = CLASS_ORDER.filter((c) => countOf(tally, cell, c) > 0);
  const worst = present[0];
  if (worst === undefined) return undefined;
  const share = countOf(tally, cell, worst) / n;
  const newly = tally.newlyUnexpected[cell] as number;
  const recovered = tally.recovered[cell] as number;
  const marks = [
    newly > 0 ? MARK_STYLE.newlyUnexpected.css : '',
    recovered > 0 ? MARK_STYLE.recovered.css : '',
  ].filter(Boolean);
  const css = [`${CLASS_STYLE[worst].css}${shareStep(share)}`, ...marks].join(' ');
  const keyIndex = tally.keyOf?.[cell] ?? -1;
  const key = keyIndex >= 0 ? tally.keys[keyIndex] : undefined;
  const pure =
    present.length === 1 && (newly === 0 || newly === n) && (recovered === 0 || recovered === n);
  // A pure cell's changes hold all its ids or none: no count, so that a run of them merges.
  const changed = [
    newly > 0 ? `${pure ? '' : `${newly} `}newly unexpected` : '',
    recovered > 0 ? `${pure ? '' : `${recovered} `}recovered` : '',
  ].filter(Boolean);
  const what = pure
    ? [key === undefined || isCheck(key) ? '' : escapeHtml(key), CLASS_STYLE[worst].label]
    : present.map(
        (c: MapClass) => `${CLASS_STYLE[c].label} ${percent(countOf(tally, cell, c), n)}`,
      );
  const title = `${idsText(first, last)}: ${[...what.filter(Boolean), ...changed].join(', ')}`;
  const signature = pure ? `${css}|${key ?? ''}` : undefined;
  return { column, span: 1, first, last, css, title, signature };
}

/** A failed check's key says what its class's label says already. */
function isCheck(key: string): boolean {
  return key === CheckKind.content || key === CheckKind.slow;
}
