import { layoutFor } from './layout.js';
import { legendHtml } from './legend.js';
import { CLASS_STYLE, MARK_STYLE, SHARE_STEPS } from './palette.js';
import { CELL, cellsSvg } from './svg.js';
import type { MapSweep } from './sweep.js';
import { tallyCells } from './tally.js';
import { escapeHtml } from './text.js';

/** Every rule scoped to the map's own element, so that a host page's styles and ours never mix. */
const STYLE = [
  '.idmap{font:13px/1.4 system-ui,sans-serif;color:#16191f}',
  '.idmap h3{margin:0 0 4px;font-size:15px}',
  '.idmap p{margin:2px 0}',
  '.idmap .note{color:#545b64}',
  '.idmap .legend{list-style:none;margin:4px 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}',
  '.idmap .legend svg{vertical-align:-1px}',
  '.idmap svg.cells{max-width:100%;height:auto;margin-top:6px}',
  // SVG 2 geometry properties: a cell's size is said once here, not on each of 2,600 rects.
  `.idmap .cells rect{height:${CELL}px}`,
  `.idmap .cells rect:not([width]){width:${CELL}px}`,
  '.idmap .cells text{font-size:7px;text-anchor:end;fill:#545b64}',
  ...Object.values(CLASS_STYLE).flatMap(({ css, colour }) =>
    SHARE_STEPS.map(
      ({ opacity }, i) => `.idmap .${css}${i + 1}{fill:${colour};fill-opacity:${opacity}}`,
    ),
  ),
  ...Object.values(MARK_STYLE).map(
    ({ css, colour }) => `.idmap .${css}{stroke:${colour};stroke-width:1.5px}`,
  ),
].join('');

/**
 * Pure: a sweep's id map as an HTML fragment with its own style and no script: a legend (counts
 * per class, range, verdict, the sweep's time, changes since its baseline) and an SVG of its ids
 * in rows, each cell titled with its ids and outcome. 1,000,000 ids fit in at most ~300 KB.
 */
export function renderIdMap(sweep: MapSweep): string {
  const tally = tallyCells(sweep, layoutFor(sweep.range));
  const cells = sweep.ids === undefined ? '' : cellsSvg(tally);
  return `<div class="idmap"><style>${STYLE}</style>${legendHtml(sweep, tally)}${cells}</div>`;
}

/**
 * Pure: the same map as a whole, self-contained HTML document (the CLI's file, the local API);
 * its empty icon keeps a browser from asking the server for /favicon.ico.
 */
export function renderIdMapPage(sweep: MapSweep): string {
  const title = `Id map ${sweep.range.start}-${sweep.range.end}${sweep.target === undefined ? '' : ` of ${sweep.target}`}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title></head><body>${renderIdMap(sweep)}</body></html>\n`;
}

/** Pure: a readable message in the map's frame, for when there is no map to draw. */
export function renderIdMapMessage(text: string): string {
  return `<div class="idmap"><style>${STYLE}</style><p class="note">${escapeHtml(text)}</p></div>`;
}
