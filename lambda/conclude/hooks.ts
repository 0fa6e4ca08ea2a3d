import type { BaselineStore } from '../baseline/store.js';
import type { Runs } from '../distributed/runs-port.js';
import type { LogWriter } from '../ground/log.js';
import type { SettledId, SweepAggregate } from '../sweep/index.js';

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
  /**
   * Each sweep gets a connection pool of its own, closed when it ends, as separate invocations
   * each have theirs (the local executor's shards). @default - one pool per origin, kept warm
   */
  readonly poolPerSweep?: boolean;
  /** Where runs start and are read. @default - the state machine when STATE_MACHINE_ARN is set */
  readonly runs?: Runs;
}
