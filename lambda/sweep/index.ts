/**
 * The engine's public entry: ids → outcomes on undici. Its data (aggregates, ranges, histograms)
 * is also reachable through data.ts alone, for code that must not load undici.
 */
export * from './data.js';
export { closePools, newPool } from './dispatcher.js';
export type { EnginePool } from './pool.js';
export { newThrottle, type SettledId, type SweepOptions, sweep } from './sweep.js';
export type { Throttle } from './throttle.js';
