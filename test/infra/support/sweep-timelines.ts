import { failuresIn, type RecentSweep, withSweep } from '../../../lambda/baseline/recent.js';
import {
  ALARM_AFTER_EVERY_FAILURE,
  type AlarmAfter,
  MAX_ALARM_AFTER_OF,
} from '../../../lambda/ground/alarm-after.js';
import { DEFAULT_METRICS_NAMESPACE } from '../../../lambda/ground/defaults.js';
import { MetricName, SCHEDULE_DIMENSION, TARGET_DIMENSION } from '../../../lambda/metrics/names.js';
import { type Datum, metricKey } from './metric-model.js';

/** One sweep as the function reports it: when its metrics are timestamped, and its verdict. */
export interface SweepEvent {
  readonly time: number;
  readonly failed: boolean;
  /** In a mute window: the schedule's Muted says 1 (metrics/publish.ts). */
  readonly muted?: boolean;
}

/**
 * Sweeps fired every `interval` seconds from `first`, each publishing `lateness(k)` seconds after
 * its firing (Scheduler's precision plus the sweep's duration), `failed(k)` deciding its verdict.
 */
export function scheduledSweeps(plan: {
  readonly first: number;
  readonly interval: number;
  readonly count: number;
  readonly lateness?: (k: number) => number;
  readonly failed?: (k: number) => boolean;
  readonly muted?: (k: number) => boolean;
}): SweepEvent[] {
  return Array.from({ length: plan.count }, (_, k) => ({
    time: plan.first + k * plan.interval + (plan.lateness?.(k) ?? 0),
    failed: plan.failed?.(k) ?? false,
    muted: plan.muted?.(k) ?? false,
  }));
}

/** How a schedule is deployed, as far as its datums go. */
export interface ScheduleShape {
  readonly alarmAfter?: AlarmAfter;
  /** The schedule has mute windows: its sweeps publish Muted. */
  readonly muteWindows?: boolean;
}

/**
 * The datums the sweeps publish (names.ts, metrics/publish.ts): every sweep with dimension
 * Target; a scheduled sweep also with {Target, Schedule}, where RecentFailures is counted by the
 * function's own code (baseline/recent.ts) over the sweeps before it; `schedule` undefined for
 * API sweeps.
 */
export function sweepDatums(
  target: string,
  schedule: string | undefined,
  sweeps: readonly SweepEvent[],
  shape: ScheduleShape = {},
): Datum[] {
  const byTarget = { [TARGET_DIMENSION]: target };
  const datum = (name: string, dims: Record<string, string>, time: number, value: number) => ({
    key: metricKey(DEFAULT_METRICS_NAMESPACE, name, dims),
    time,
    value,
  });
  const datums = sweeps.flatMap((sweep) => [
    datum(MetricName.sweeps, byTarget, sweep.time, 1),
    datum(MetricName.verdictFailed, byTarget, sweep.time, sweep.failed ? 1 : 0),
  ]);
  if (schedule === undefined) return datums;
  const bySchedule = { ...byTarget, [SCHEDULE_DIMENSION]: schedule };
  const { of } = shape.alarmAfter ?? ALARM_AFTER_EVERY_FAILURE;
  let recent: RecentSweep[] = [];
  for (const [k, sweep] of sweeps.entries()) {
    const endedAt = new Date(sweep.time * 1000).toISOString();
    recent = withSweep(
      recent,
      { sweepId: `s${k}`, endedAt, failed: sweep.failed },
      MAX_ALARM_AFTER_OF,
    );
    datums.push(
      datum(MetricName.sweeps, bySchedule, sweep.time, 1),
      datum(MetricName.recentFailures, bySchedule, sweep.time, failuresIn(recent, of)),
      ...(shape.muteWindows
        ? [datum(MetricName.muted, bySchedule, sweep.time, sweep.muted ? 1 : 0)]
        : []),
    );
  }
  return datums;
}
