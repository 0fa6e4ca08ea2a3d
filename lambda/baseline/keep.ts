import type { Changes } from '../contract/changes.js';
import type { SweepResponse } from '../contract/response.js';
import { InvalidBaselineError } from '../ground/errors.js';
import { errorFields, errorText, type LogWriter } from '../ground/log.js';
import { type Baseline, changesSince, parseBaseline } from './baseline.js';
import type { JudgedSweep } from './diff.js';
import type { UnexpectedSpans } from './expected.js';
import type { BaselineStore, StoredDocument } from './store.js';

/**
 * Below this much time a baseline read or write is not tried: an in-region S3 round trip takes
 * tens of ms, a cold TLS handshake about 100 ms more.
 */
export const MIN_BASELINE_BUDGET_MS = 200;
/**
 * A read or write gets this long at most, whatever the deadline (as MAX_PUBLISH_MS for metrics):
 * S3 in-region returns even a 1,000,000-id baseline in well under a second, and a store that
 * accepts and never answers (the SDK sets no request timeout) cannot hold a response for ~29 s.
 */
export const MAX_BASELINE_MS = 5_000;

/** What happened to a sweep's baseline: a field of the summary log line. */
export interface BaselineReport {
  /** The schedule whose baseline was read (and, for its own sweeps, written). */
  readonly schedule: string;
  readonly read: 'found' | 'none' | 'invalid' | 'failed' | 'skipped';
  /** Schedules' own sweeps only: `kept` means an incomplete sweep left a complete baseline. */
  readonly write?: 'written' | 'kept' | 'conflict' | 'failed' | 'skipped';
  readonly reason?: string;
}

/** The comparison of a sweep with its baseline, and what keep() needs to replace it. */
export interface Comparison {
  readonly changes: Changes | null;
  /** Absent when the sweep names no schedule: nothing was read. */
  readonly report?: BaselineReport;
  /** What was read, when the read succeeded (undefined document: there was none). */
  readonly read?: { readonly stored?: StoredDocument; readonly baseline?: Baseline };
}

/** Reads, compares and keeps schedules' baselines; never throws, never outlives its deadline. */
export interface Baselines {
  /**
   * Reads `schedule`'s baseline by `by` (epoch ms) and diffs the sweep against it; a baseline
   * without its own `unexpectedIds` is judged by `unexpected` (the sweep's expectations).
   */
  compare(
    current: JudgedSweep,
    schedule: string | undefined,
    by: number,
    unexpected: UnexpectedSpans,
  ): Promise<Comparison>;
  /**
   * Makes a schedule's own sweep its baseline by `by`, with a conditional write; an incomplete
   * sweep does not replace a complete baseline.
   */
  keep(
    schedule: string,
    response: SweepResponse,
    comparison: Comparison,
    by: number,
  ): Promise<BaselineReport>;
}

/** Built once with the store (none: nothing is compared or kept). */
export function createBaselines(store: BaselineStore | undefined, log: LogWriter): Baselines {
  const warn = (message: string, schedule: string, error: unknown) =>
    log({ level: 'WARN', message, schedule, error: errorFields(error) });

  return {
    async compare(current, schedule, by, unexpected) {
      if (schedule === undefined) return { changes: null };
      if (store === undefined) {
        return { changes: null, report: { schedule, read: 'skipped', reason: 'no store' } };
      }
      let stored: StoredDocument | undefined;
      try {
        stored = await withDeadline(by, (signal) => store.read(schedule, signal));
      } catch (error) {
        warn('baseline not read', schedule, error);
        return { changes: null, report: { schedule, read: failure(error), reason: reason(error) } };
      }
      if (stored === undefined)
        return { changes: null, report: { schedule, read: 'none' }, read: {} };
      try {
        const baseline = parseBaseline(parseJson(stored.text));
        return {
          changes: changesSince(current, baseline, unexpected),
          report: { schedule, read: 'found' },
          read: { stored, baseline },
        };
      } catch (error) {
        warn('baseline not compared', schedule, error);
        const report = { schedule, read: 'invalid', reason: reason(error) } as const;
        return { changes: null, report, read: { stored } };
      }
    },

    async keep(schedule, response, comparison, by) {
      const report = comparison.report ?? { schedule, read: 'skipped' };
      const { read } = comparison;
      if (store === undefined || read === undefined) {
        return { ...report, write: 'skipped' };
      }
      if (!response.complete && read.baseline?.complete === true) {
        return { ...report, write: 'kept' };
      }
      try {
        const outcome = await withDeadline(by, (signal) =>
          store.write(schedule, response, read.stored?.version, signal),
        );
        if (outcome === 'written' && read.stored !== undefined && read.baseline === undefined) {
          log({
            level: 'WARN',
            message: 'baseline replaced: it was not valid',
            schedule,
            sweepId: response.sweepId,
            ...(report.reason !== undefined && { reason: report.reason }),
          });
        }
        if (outcome === 'conflict') {
          log({
            level: 'WARN',
            message: 'baseline not replaced: another sweep of the schedule wrote it first',
            schedule,
            sweepId: response.sweepId,
          });
        }
        return { ...report, write: outcome };
      } catch (error) {
        warn('baseline not written', schedule, error);
        return { ...report, write: failure(error), reason: reason(error) };
      }
    },
  };
}

/** A stored text as JSON; text that is not is an invalid baseline like any other. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidBaselineError(`not valid JSON (${errorText(cause)})`, { cause });
  }
}

/** Thrown when there is too little time left to try. */
class NoTimeError extends Error {
  override readonly name = 'NoTimeError';
}

/** Runs `task` with a signal that aborts at `by`, and gives up at `by` even if it does not. */
async function withDeadline<T>(by: number, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const budget = Math.min(MAX_BASELINE_MS, Math.floor(by - Date.now()));
  if (budget < MIN_BASELINE_BUDGET_MS) {
    throw new NoTimeError(`${Math.max(0, budget)} ms left, ${MIN_BASELINE_BUDGET_MS} ms needed`);
  }
  const signal = AbortSignal.timeout(budget);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([task(signal), aborted]);
  } finally {
    // Settled in time: the timeout must not reject a promise no one awaits any more.
    signal.removeEventListener('abort', onAbort);
  }
}

function failure(error: unknown): 'skipped' | 'failed' {
  return error instanceof NoTimeError ? 'skipped' : 'failed';
}

function reason(error: unknown): string {
  if (error instanceof InvalidBaselineError || error instanceof NoTimeError) return error.message;
  return errorText(error);
}
