import type { SweepRequest } from '../ground/options.js';
import { type IdRange, rangeSize } from '../sweep/data.js';
import type { RunAccepted } from './messages.js';
import type { RunStatus } from './status.js';

/**
 * Starts, tracks and reads distributed sweeps (runs): the state machine when deployed
 * (step-functions-runs.ts), this process under `npm run serve` and the CLI (dev/local-runs.ts).
 * The handlers answer the same way over either: what differs is only where the shards run.
 */
export interface Runs {
  /**
   * Starts a run of `request` named `sweepId`. `invocationMs` is how long a shard invocation may
   * run (the plan's bound); a run that could not finish in time throws InvalidRequestError.
   */
  start(request: SweepRequest, sweepId: string, invocationMs?: number): Promise<RunAccepted>;
  /** Where run `sweepId` is (shards' progress, its result, or why it failed); undefined if none. */
  status(sweepId: string): Promise<RunStatus | undefined>;
}

/** The one rule for where a request sweeps: a range above MAX_IDS runs as shards, if it can. */
export function isRunSized(range: IdRange, maxIds: number): boolean {
  return rangeSize(range) > maxIds;
}
