/**
 * The engine's data, without its I/O: outcomes, id ranges, aggregates and their exact merge,
 * latency histograms, error samples, the URL template, the methods and the slowest rate. Importing it loads no undici, so the
 * runs function (which merges and reports but never fetches) keeps undici out of its bundle;
 * everything else of the engine comes from index.ts. Nothing outside lambda/sweep/ imports the
 * engine's files directly (biome.json).
 */
export {
  type ConfirmSummary,
  type FailedShard,
  latencySummary,
  type SweepAggregate,
  type SweepClock,
  summarize,
  Tally,
} from './aggregate.js';
export {
  type BodyCheck,
  type CheckFor,
  checkSample,
  grouped,
  type IdCheck,
  slowness,
} from './checks.js';
export { cleanMessage, type ErrorSamples, type Samples } from './error-samples.js';
export {
  type HistogramSnapshot,
  LatencyHistogram,
  type LatencySummary,
  type WeightedValue,
} from './histogram.js';
export { mergeAggregates } from './merge.js';
export {
  CHECK_KINDS,
  CheckKind,
  ERROR_KINDS,
  ErrorKind,
  NOT_ATTEMPTED,
  type Outcome,
  outcomeCode,
  outcomeKey,
} from './outcome.js';
export {
  type Certificate,
  type CertificateReport,
  certificateReport,
  earliest,
  PHASES,
  type Phase,
  type PhaseSnapshots,
  type PhaseSummaries,
  type PhaseSummary,
  summarizePhases,
} from './phases.js';
export {
  countIds,
  formatSpans,
  type IdRange,
  parseSpans,
  partitionsRange,
  rangeSize,
  type Span,
  SpanBuilder,
  SpanText,
  spanTotal,
  unionSpans,
} from './range.js';
export { MIN_RATE_PER_SECOND } from './rate-limit.js';
export { KeyedSpanWalk, SpanCursor } from './span-cursor.js';
export { ID_PLACEHOLDER, SWEEP_METHODS, type SweepMethod, urlTemplateParts } from './target.js';
