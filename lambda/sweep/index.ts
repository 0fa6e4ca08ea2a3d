export { latencySummary, mergeAggregates, type SweepAggregate } from './aggregate.js';
export { closePools } from './dispatcher.js';
export { SWEEP_METHODS, type SweepMethod } from './fetcher.js';
export type { LatencySummary } from './histogram.js';
export { ERROR_KINDS, ErrorKind, NOT_ATTEMPTED } from './outcome.js';
export { type IdRange, partitionsRange, rangeSize } from './range.js';
export { type SweepOptions, sweep } from './sweep.js';
