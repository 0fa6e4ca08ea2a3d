import type { Changes } from '../contract/changes.js';
import type { SweepResponse } from '../contract/response.js';
import { errorFields } from '../ground/error-line.js';
import type { LogWriter } from '../ground/log.js';
import { type Baseline, changesSince, parseBaseline } from './baseline.js';
import { DiffTooSlowError, type JudgedSweep } from './diff.js';
import type { UnexpectedIds } from './expected.js';
import { checkTimeFor, failure, NoTimeError, reason, withDeadline } from './in-time.js';
import type { BaselineStore, StoredDocument } from './store.js';
import { parseStoredJson } from './store.js';

export { MAX_BASELINE_MS, MIN_BASELINE_BUDGET_MS } from './in-time.js';

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
    unexpected: UnexpectedIds,
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

/**
 * Why a comparison that was asked for was not made, for the response's `skipped.changes`;
 * undefined when it was made, or there was nothing to compare with (no baseline yet).
 */
export function comparisonSkipped(
  report: BaselineReport | undefined,
): { readonly changes: string } | undefined {
  if (report === undefined || report.read === 'found' || report.read === 'none') return undefined;
  const what =
    report.read === 'invalid'
      ? 'is invalid'
      : `was ${report.read === 'failed' ? 'not read' : 'not compared'}`;
  return {
    changes: `${report.schedule}'s baseline ${what}: ${report.reason ?? 'no reason given'}`,
  };
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
        checkTimeFor(stored.text.length, by);
        const baseline = parseBaseline(parseStoredJson(stored.text));
        return {
          changes: changesSince(current, baseline, unexpected, by),
          report: { schedule, read: 'found' },
          read: { stored, baseline },
        };
      } catch (error) {
        if (error instanceof NoTimeError || error instanceof DiffTooSlowError) {
          // Not compared for want of time: nor replaced, since it was never looked at.
          const why = `too little time: ${reason(error)}`;
          return { changes: null, report: { schedule, read: 'skipped', reason: why } };
        }
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
        if (outcome === 'written' && report.read === 'invalid') {
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
