import type { Config } from '../ground/config.js';
import { errorText } from '../ground/error-line.js';
import { writeLog } from '../ground/log.js';
import { MetricsMode } from '../ground/settings.js';
import type { SweepAggregate } from '../sweep/data.js';
import type { SweepVerdict } from '../verdict/verdict.js';
import { type ChangeCounts, changeMeasurements } from './changes.js';
import { toDatums } from './datums.js';
import { formatLocalSummary } from './local.js';
import { type Measurement, MetricUnit, measure } from './measurements.js';
import { MetricName, PER_SCHEDULE_METRICS, SCHEDULE_DIMENSION, TARGET_DIMENSION } from './names.js';
import type { MetricsReport } from './report.js';
import {
  causeLine,
  type EmfBase,
  publishToCloudWatch,
  type SendContext,
  writeEmfDatums,
} from './send.js';

/** What a publish needs besides the sweep: the config, the deadline, and what to add. */
export interface PublishContext extends SendContext {
  readonly config: Config;
  /**
   * The schedule that started the sweep: PER_SCHEDULE_METRICS are also published with
   * {Target, Schedule}. @default - Target only
   */
  readonly schedule?: ScheduleContext;
  /** What changed since the baseline: NewlyUnexpected and Recovered. @default - none published */
  readonly changes?: ChangeCounts | null;
}

/**
 * What a schedule's own metrics say besides the sweep's: its recent failures (for `alarmAfter`)
 * and, when it has mute windows, whether one covered the sweep. A muted sweep's metrics tell the
 * truth; the Muted alarm suppresses the actions of the schedule's alarms (schedule-alarms.ts).
 */
export interface ScheduleContext {
  readonly name: string;
  /** Failed sweeps among the schedule's last `alarmAfter.of`, this one included. */
  readonly recentFailures: number;
  /** Set for schedules with mute windows: Muted is published, 1 when a window covered the sweep. */
  readonly muted?: boolean;
}

/** Publishes a sweep's metrics as config.metricsMode says; never throws, never fails a sweep. */
export async function publishMetrics(
  aggregate: SweepAggregate,
  verdict: SweepVerdict,
  context: PublishContext,
): Promise<MetricsReport> {
  try {
    return await publish(aggregate, verdict, context);
  } catch (cause) {
    // Our own bug: say so and lose the metrics rather than the sweep.
    const reason = `metrics were not published: ${errorText(cause)}`;
    (context.log ?? writeLog)(causeLine(reason, cause));
    return { status: 'fallback', requests: 0, datums: 0, reason };
  }
}

async function publish(
  aggregate: SweepAggregate,
  verdict: SweepVerdict,
  context: PublishContext,
): Promise<MetricsReport> {
  const { config, schedule } = context;
  if (config.metricsMode === MetricsMode.off) return { status: 'off', requests: 0, datums: 0 };
  const measurements = [...measure(aggregate, verdict), ...changeMeasurements(context.changes)];
  const target = { Name: TARGET_DIMENSION, Value: config.targetName };
  const common = {
    timestamp: aggregate.endedAt,
    storageResolution: config.metricsStorageResolution,
  };
  const datums = [
    ...toDatums(measurements, { dimensions: [target], ...common }),
    ...(schedule === undefined
      ? []
      : toDatums(forSchedule(measurements, schedule), {
          dimensions: [target, { Name: SCHEDULE_DIMENSION, Value: schedule.name }],
          ...common,
        })),
  ];
  const emf: EmfBase = { namespace: config.metricsNamespace, ...common };
  switch (config.metricsMode) {
    case MetricsMode.local:
      process.stderr.write(formatLocalSummary(aggregate, verdict, config));
      return { status: 'local', requests: 0, datums: datums.length };
    case MetricsMode.emf:
      writeEmfDatums(datums, emf);
      return { status: 'published', requests: 0, datums: datums.length };
    case MetricsMode.cloudwatch:
      return publishToCloudWatch(datums, emf, context);
  }
}

/** The measurements a schedule's alarms read, with its recent failures and mute state. */
function forSchedule(
  measurements: readonly Measurement[],
  schedule: ScheduleContext,
): Measurement[] {
  const own: Measurement[] = [
    { name: MetricName.recentFailures, unit: MetricUnit.count, value: schedule.recentFailures },
    ...(schedule.muted === undefined
      ? []
      : [{ name: MetricName.muted, unit: MetricUnit.none, value: schedule.muted ? 1 : 0 }]),
  ];
  return [...measurements, ...own].filter((m) => PER_SCHEDULE_METRICS.includes(m.name));
}
