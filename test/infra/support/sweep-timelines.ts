import { DEFAULT_METRICS_NAMESPACE } from '../../../lambda/ground/defaults.js';
import { MetricName, SCHEDULE_DIMENSION, TARGET_DIMENSION } from '../../../lambda/metrics/names.js';
import { type Datum, metricKey } from './metric-model.js';

/** One sweep as the function reports it: when its metrics are timestamped, and its verdict. */
export interface SweepEvent {
  readonly time: number;
  readonly failed: boolean;
  /** In a mute window: the schedule's VerdictFailed says 0 (metrics/publish.ts), the target's the truth. */
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

/**
 * The datums the sweeps publish (names.ts): every sweep with dimension Target; a scheduled sweep
 * also with {Target, Schedule}; `schedule` undefined for API sweeps.
 */
export function sweepDatums(
  target: string,
  schedule: string | undefined,
  sweeps: readonly SweepEvent[],
): Datum[] {
  const dimensions: Array<Record<string, string>> = [
    { [TARGET_DIMENSION]: target },
    ...(schedule === undefined
      ? []
      : [{ [TARGET_DIMENSION]: target, [SCHEDULE_DIMENSION]: schedule }]),
  ];
  return sweeps.flatMap((sweep) =>
    dimensions.flatMap((dims) => [
      {
        key: metricKey(DEFAULT_METRICS_NAMESPACE, MetricName.sweeps, dims),
        time: sweep.time,
        value: 1,
      },
      {
        key: metricKey(DEFAULT_METRICS_NAMESPACE, MetricName.verdictFailed, dims),
        time: sweep.time,
        value: sweep.failed && !(sweep.muted && SCHEDULE_DIMENSION in dims) ? 1 : 0,
      },
    ]),
  );
}
