import { rangeSize } from '../sweep/data.js';
import { CELLS_PER_ROW } from './layout.js';
import { CLASS_ORDER, CLASS_STYLE, MARK_STYLE, MapClass, SHARE_STEPS } from './palette.js';
import type { MapSweep } from './sweep.js';
import type { CellTally } from './tally.js';
import { countText, escapeHtml, percent } from './text.js';

/** Classes listed even at zero: every sweep can have them. */
const ALWAYS: ReadonlySet<MapClass> = new Set([
  MapClass.met,
  MapClass.status,
  MapClass.error,
  MapClass.notAttempted,
]);

/** Pure: the heading, the counts per class with their colours, the changes and what is missing. */
export function legendHtml(sweep: MapSweep, tally: CellTally): string {
  const total = rangeSize(sweep.range);
  const { idsPerCell } = tally.layout;
  const text = (value: string | undefined, fallback: string) =>
    value === undefined ? fallback : escapeHtml(value);
  const verdict =
    sweep.verdict === undefined ? '' : ` · <b>${text(sweep.verdict.toUpperCase(), '')}</b>`;
  const heading = `<h3>Id map · ${text(sweep.target, 'target not named')}${verdict}</h3>`;
  const facts = [
    `ids ${sweep.range.start}-${sweep.range.end} (${countText(total)})`,
    `sweep ${text(sweep.sweepId, '(no id)')}`,
    `ended ${sweep.endedAt === undefined ? 'at an unknown time' : `<time>${escapeHtml(sweep.endedAt)}</time>`}`,
    sweep.complete === false ? 'incomplete' : '',
    `1 cell = ${countText(idsPerCell)} id${idsPerCell > 1 ? 's' : ''}, ${CELLS_PER_ROW} cells per row`,
  ].filter(Boolean);
  const items = CLASS_ORDER.filter(
    (c) => ALWAYS.has(c) || tally.totals[c] > 0 || reported(sweep, c),
  ).map((c) => {
    const n = tally.totals[c];
    return `<li>${swatch(`${CLASS_STYLE[c].css}4`)} ${CLASS_STYLE[c].label} <b>${countText(n)}</b> (${percent(n, total)})</li>`;
  });
  const notes = [
    idsPerCell > 1
      ? `A cell of ${idsPerCell} ids takes the colour of its worst class; the paler, the smaller its share of the cell (up to ${shareBounds()}, more, all).`
      : '',
    ...missing(sweep),
  ].filter(Boolean);
  return [
    heading,
    `<p>${facts.join(' · ')}</p>`,
    `<ul class="legend">${items.join('')}</ul>`,
    `<p>${changesText(sweep)}</p>`,
    ...notes.map((note) => `<p class="note">${note}</p>`),
  ].join('');
}

function changesText(sweep: MapSweep): string {
  const changes = sweep.changes;
  if (changes === undefined || changes === null) return 'No baseline: no changes to mark.';
  const base = changes.baseline;
  const since = `since sweep ${escapeHtml(base?.sweepId ?? '(no id)')}${base?.endedAt ? ` (<time>${escapeHtml(base.endedAt)}</time>)` : ''}`;
  const mark = (key: keyof typeof MARK_STYLE, n: number | undefined) =>
    `${swatch(`m4 ${MARK_STYLE[key].css}`)} ${MARK_STYLE[key].label} <b>${countText(n ?? 0)}</b>`;
  return `Changes ${since}: ${mark('newlyUnexpected', changes.newlyUnexpected?.count)} · ${mark('recovered', changes.recovered?.count)}`;
}

/** Whether the response has the field a class comes from (so it is listed even at zero). */
function reported(sweep: MapSweep, mapClass: MapClass): boolean {
  if (mapClass === MapClass.content) return sweep.unexpectedReasons?.content !== undefined;
  if (mapClass === MapClass.slow) return sweep.unexpectedReasons?.slow !== undefined;
  if (mapClass === MapClass.flaky) return sweep.flakyIds !== undefined;
  return false;
}

/** What the response lacks that the map would draw, in words. */
function missing(sweep: MapSweep): string[] {
  const notes: string[] = [];
  if (sweep.ids === undefined) {
    const omitted = sweep.omitted?.includes('ids')
      ? ' (omitted from a large result: see its resultUrl)'
      : '';
    notes.push(
      `This response has no per-id outcomes (<code>ids</code>)${omitted}: nothing to draw.`,
    );
  }
  if (sweep.unexpectedIds === undefined && sweep.ids !== undefined) {
    notes.push(
      'This response does not say which ids were unexpected (<code>unexpectedIds</code>): statuses are drawn unjudged.',
    );
  }
  return notes;
}

/** "25%, 50%": the share steps' bounds below the last two. */
function shareBounds(): string {
  return SHARE_STEPS.slice(0, -2)
    .map((step) => percent(step.upTo, 1))
    .join(', ');
}

function swatch(css: string): string {
  return `<svg width="12" height="12" aria-hidden="true"><rect x="1" y="1" width="10" height="10" class="${css}"/></svg>`;
}
