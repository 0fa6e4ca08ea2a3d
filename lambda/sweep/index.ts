/** The engine's public entry: ids → outcomes on undici. Callers import from here only. */
export {
  latencySummary,
  mergeAggregates,
  type SweepAggregate,
  type SweepClock,
  summarize,
  Tally,
} from './aggregate.js';
export { closePools, newPool } from './dispatcher.js';
export { SWEEP_METHODS, type SweepMethod } from './fetcher.js';
export {
  type HistogramSnapshot,
  LatencyHistogram,
  type LatencySummary,
  type WeightedValue,
} from './histogram.js';
export { ERROR_KINDS, ErrorKind, NOT_ATTEMPTED, type Outcome } from './outcome.js';
export type { EnginePool } from './pool.js';
export { type IdRange, partitionsRange, rangeSize } from './range.js';
export { MIN_RATE_PER_SECOND } from './rate-limit.js';
export { type SettledId, type SweepOptions, sweep } from './sweep.js';
