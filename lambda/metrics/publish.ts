import type { Config } from '../ground/config.js';
import { errorText } from '../ground/error-line.js';
import { writeLog } from '../ground/log.js';
import { MetricsMode } from '../ground/settings.js';
import type { SweepAggregate } from '../sweep/data.js';
import type { SweepVerdict } from '../verdict/verdict.js';
import { type ChangeCounts, changeMeasurements } from './changes.js';
import { toDatums } from './datums.js';
import { formatLocalSummary } from './local.js';
import { type Measurement, measure } from './measurements.js';
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
  readonly schedule?: string;
  /** What changed since the baseline: NewlyUnexpected and Recovered. @default - none published */
  readonly changes?: ChangeCounts | null;
  /**
   * A mute window covered the sweep: the schedule's own metrics say it ran (Sweeps) but not that
   * it failed (VerdictFailed 0, no NewlyUnexpected), so the schedule's alarms take no action on
   * it; the target's metrics keep the truth for the dashboard. @default false
   */
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
      : toDatums(forSchedule(measurements, context.muted === true), {
          dimensions: [target, { Name: SCHEDULE_DIMENSION, Value: schedule }],
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

/** The measurements a schedule's alarms read; a muted sweep's failure is not among them. */
function forSchedule(measurements: readonly Measurement[], muted: boolean): Measurement[] {
  return measurements
    .filter((m) => PER_SCHEDULE_METRICS.includes(m.name))
    .filter((m) => !muted || m.name !== MetricName.newlyUnexpected)
    .map((m) => (muted && m.name === MetricName.verdictFailed ? { ...m, value: 0 } : m));
}
