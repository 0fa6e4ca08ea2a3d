import * as v from 'valibot';
import { type AlarmAfter, MAX_ALARM_AFTER_OF } from '../ground/alarm-after.js';
import { errorFields } from '../ground/error-line.js';
import { InvalidBaselineError } from '../ground/errors.js';
import type { LogWriter } from '../ground/log.js';
import { failure, reason, withDeadline } from './in-time.js';
import { type BaselineStore, parseStoredJson, type StoredDocument } from './store.js';

/**
 * A schedule's recent verdicts, kept beside its baseline (`baselines/recent/<schedule>.json`) for
 * `alarmAfter`: every sweep of the schedule is recorded, complete or not, muted or not, so that
 * each can count the failures among the schedule's last `of` sweeps and publish that count.
 */

/** One sweep as its schedule remembers it. */
export interface RecentSweep {
  readonly sweepId: string;
  readonly endedAt: string;
  readonly failed: boolean;
}

/**
 * The stored document: the schedule's latest sweeps, oldest first, MAX_ALARM_AFTER_OF of them
 * whatever `of` says, so that raising `of` later finds them.
 */
export interface RecentSweeps {
  readonly version: 1;
  readonly sweeps: readonly RecentSweep[];
}

/** What a sweep's count of recent failures rests on: a field of the summary log line. */
export interface RecentReport {
  /** Failed sweeps among the last `of`, this one included. */
  readonly failures: number;
  readonly of: number;
  /** `failed`/`invalid`/`skipped`: only this sweep was counted. */
  readonly read: 'found' | 'none' | 'invalid' | 'failed' | 'skipped';
  readonly write?: 'written' | 'conflict' | 'failed' | 'skipped';
  readonly reason?: string;
}

/** The store's name for a schedule's recent verdicts (see baselineKey). */
export function recentName(schedule: string): string {
  return `recent/${schedule}`;
}

/** What was read: the sweeps before this one and the version a write must match. */
export interface RecentRead {
  readonly report: RecentReport;
  /** Absent when the read failed: nothing is written then, so nothing read is lost. */
  readonly before?: { readonly sweeps: readonly RecentSweep[]; readonly version?: string };
}

/**
 * Pure: the schedule's sweeps with this one last, at most `keep` of them. A sweep recorded
 * already (a retried reduce step) is replaced, never counted twice.
 */
export function withSweep(
  sweeps: readonly RecentSweep[],
  sweep: RecentSweep,
  keep: number,
): RecentSweep[] {
  return [...sweeps.filter((s) => s.sweepId !== sweep.sweepId), sweep].slice(-keep);
}

/** Pure: failed sweeps among the last `of` of these. */
export function failuresIn(sweeps: readonly RecentSweep[], of: number): number {
  return sweeps.slice(-of).filter((s) => s.failed).length;
}

/** Reads and records schedules' recent verdicts; never throws, never outlives its deadline. */
export interface RecentVerdicts {
  /** Counts this sweep's schedule's recent failures, this sweep included, reading by `by`. */
  count(
    schedule: string,
    sweep: RecentSweep,
    alarmAfter: AlarmAfter,
    by: number,
  ): Promise<RecentRead>;
  /** Records the sweep after what was read, with a conditional write, by `by`. */
  record(schedule: string, sweep: RecentSweep, read: RecentRead, by: number): Promise<RecentReport>;
}

/** Built once with the store (none: each sweep counts only itself). */
export function createRecentVerdicts(
  store: BaselineStore | undefined,
  log: LogWriter,
): RecentVerdicts {
  const warn = (message: string, schedule: string, fields: Record<string, unknown>) =>
    log({ level: 'WARN', message, schedule, ...fields });
  return {
    async count(schedule, sweep, { of }, by) {
      const alone = (read: RecentReport['read'], why?: string) => ({
        failures: sweep.failed ? 1 : 0,
        of,
        read,
        ...(why !== undefined && { reason: why }),
      });
      // One of one needs no memory; without a store there is none.
      if (of === 1 || store === undefined) return { report: alone('skipped') };
      let stored: StoredDocument | undefined;
      try {
        stored = await withDeadline(by, (signal) => store.read(recentName(schedule), signal));
      } catch (error) {
        warn('recent verdicts not read', schedule, { error: errorFields(error) });
        return { report: alone(failure(error), reason(error)) };
      }
      const version = stored && { version: stored.version };
      try {
        const sweeps = stored === undefined ? [] : parseRecent(stored.text);
        const failures = failuresIn(withSweep(sweeps, sweep, of), of);
        const read = stored === undefined ? 'none' : 'found';
        return { report: { failures, of, read }, before: { sweeps, ...version } };
      } catch (error) {
        // Replaced by this sweep alone: an unreadable history must not silence the alarm for good.
        warn('recent verdicts replaced: not valid', schedule, { reason: reason(error) });
        return { report: alone('invalid', reason(error)), before: { sweeps: [], ...version } };
      }
    },

    async record(schedule, sweep, { report, before }, by) {
      if (store === undefined || before === undefined) return { ...report, write: 'skipped' };
      const document: RecentSweeps = {
        version: 1,
        sweeps: withSweep(before.sweeps, sweep, MAX_ALARM_AFTER_OF),
      };
      try {
        const outcome = await withDeadline(by, (signal) =>
          store.write(recentName(schedule), document, before.version, signal),
        );
        if (outcome === 'conflict') {
          warn(
            'recent verdicts not recorded: another sweep of the schedule wrote them first',
            schedule,
            {
              sweepId: sweep.sweepId,
            },
          );
        }
        return { ...report, write: outcome };
      } catch (error) {
        warn('recent verdicts not recorded', schedule, { error: errorFields(error) });
        return { ...report, write: failure(error), reason: reason(error) };
      }
    },
  };
}

const RecentSweepsSchema = v.object({
  version: v.literal(1),
  sweeps: v.array(v.object({ sweepId: v.string(), endedAt: v.string(), failed: v.boolean() })),
});

/** The stored text as sweeps; anything else is an InvalidBaselineError (replaced, with a WARN). */
export function parseRecent(text: string): RecentSweep[] {
  const result = v.safeParse(RecentSweepsSchema, parseStoredJson(text));
  if (!result.success) {
    throw new InvalidBaselineError('recent verdicts: not a version 1 list of sweeps');
  }
  return result.output.sweeps;
}
