/**
 * The id map: a sweep response in, HTML out; pure (no clock, no environment, no I/O), the one
 * renderer behind the dashboard's custom widget, the CLI's `--format html` and the local API.
 * Nothing outside lambda/idmap/ imports its other files (biome.json).
 */
export { CELLS_PER_ROW, type Layout, layoutFor, MAX_CELLS } from './layout.js';
export { CLASS_STYLE, MARK_STYLE, MapClass } from './palette.js';
export { renderIdMap, renderIdMapMessage, renderIdMapPage } from './render.js';
export type { MapSweep } from './sweep.js';
