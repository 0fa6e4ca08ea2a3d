import type { BaselineStore } from '../baseline/store.js';
import type { LogWriter } from '../ground/log.js';
import type { EnginePool, SettledId, SweepAggregate } from '../sweep/index.js';

/**
 * What the process hosting the handler may hear of a sweep; the deployed function uses the
 * defaults. Captured once, with the config, by createSweeper and createConcluder.
 */
export interface SweepHooks {
  /** Where every log line goes; one JSON object per line on stdout by default. */
  readonly log?: LogWriter;
  /** The aggregate before it becomes a response (the local CLI draws its histogram). */
  readonly onAggregate?: (aggregate: SweepAggregate) => void;
  /** Progress as ids settle (the local CLI draws a progress line with it). */
  readonly onProgress?: (settled: number, total: number) => void;
  /** Where schedules' baselines are kept. @default - the results bucket when RESULTS_BUCKET is set */
  readonly baselines?: BaselineStore;
  /** Each id as it settles (the local CLI's per-id file and slowest ids). */
  readonly onSettle?: (settled: SettledId) => void;
  /** Aborting it ends every sweep as its deadline would (the local CLI on Ctrl-C). */
  readonly signal?: AbortSignal;
  /** A connection pool of the host's for every sweep (the local executor gives each shard its own). */
  readonly pool?: EnginePool;
}
