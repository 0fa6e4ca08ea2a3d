import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { type Config, MetricsMode } from '../config.js';
import { type LogLine, type LogWriter, writeLog } from '../log.js';
import type { SweepAggregate } from '../sweep/aggregate.js';
import type { SweepVerdict } from '../verdict/verdict.js';
import { type ChangeCounts, changeMeasurements } from './changes.js';
import { sendBatches } from './cloudwatch.js';
import { batchDatums, fromDatums, toDatums } from './datums.js';
import { type EmfOptions, writeEmf } from './emf.js';
import { formatLocalSummary } from './local.js';
import { measure } from './measurements.js';
import { PER_SCHEDULE_METRICS, SCHEDULE_DIMENSION, TARGET_DIMENSION } from './names.js';

/** What happened to a sweep's metrics: the response's `metrics` field. */
export interface MetricsReport {
  /**
   * published: delivered through the configured channel (PutMetricData, or EMF in emf mode);
   * fallback: CloudWatch failed or time was short, so EMF went to stdout; unconfirmed: a
   * PutMetricData request got no answer and may have been stored, so nothing went to EMF (every
   * datum reaches CloudWatch at most once); off: nothing sent; local: a readable summary went to
   * stderr.
   */
  readonly status: 'published' | 'fallback' | 'unconfirmed' | 'off' | 'local';
  /** PutMetricData requests CloudWatch accepted. */
  readonly requests: number;
  /** The sweep's metric datums (as PutMetricData counts them), whichever way they went. */
  readonly datums: number;
  /** Datums of a request that may or may not have reached CloudWatch (neither resent nor EMF). */
  readonly unconfirmed?: number;
  /** Why the metrics fell back to EMF, or were lost. */
  readonly reason?: string;
}

export interface PublishContext {
  readonly config: Config;
  /** Epoch ms by which publishing must be done. */
  readonly deadline: number;
  /** Where a fallback's cause is logged. @default - the function's log writer (stdout) */
  readonly log?: LogWriter;
  /**
   * The schedule that started the sweep: PER_SCHEDULE_METRICS are also published with
   * {Target, Schedule}. @default - Target only
   */
  readonly schedule?: string;
  /** What changed since the baseline: NewlyUnexpected and Recovered. @default - none published */
  readonly changes?: ChangeCounts | null;
}

/** EMF settings but the dimensions, which each datum carries. */
type EmfBase = Omit<EmfOptions, 'dimensions'>;

/**
 * Below this budget PutMetricData is not tried: a round trip in-region takes tens of ms, a cold
 * TLS handshake about 100 ms more, and a retry needs room too.
 */
export const MIN_SEND_BUDGET_MS = 300;
/** Kept back from the deadline to write the EMF fallback after an aborted request. */
export const EMF_RESERVE_MS = 50;
/**
 * PutMetricData gets this long at most, whatever the deadline: a few round trips of tens of ms
 * each and a cold TLS handshake fit many times over, and an endpoint that accepts and never
 * answers cannot hold an API response until the gateway's 30 s.
 */
export const MAX_PUBLISH_MS = 5_000;

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
    const reason = `metrics were not published: ${describe(cause)}`;
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
      : toDatums(
          measurements.filter((m) => PER_SCHEDULE_METRICS.includes(m.name)),
          { dimensions: [target, { Name: SCHEDULE_DIMENSION, Value: schedule }], ...common },
        )),
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

async function publishToCloudWatch(
  datums: readonly MetricDatum[],
  emf: EmfBase,
  context: PublishContext,
): Promise<MetricsReport> {
  const budget = Math.min(MAX_PUBLISH_MS, context.deadline - Date.now() - EMF_RESERVE_MS);
  if (budget < MIN_SEND_BUDGET_MS) {
    const reason = `${Math.max(0, Math.floor(budget))} ms left for PutMetricData, ${MIN_SEND_BUDGET_MS} ms needed`;
    return fallback(datums, datums, 0, reason, undefined, emf, context);
  }
  const batches = batchDatums(datums);
  const result = await sendBatches(emf.namespace, batches, AbortSignal.timeout(budget));
  if (result.failure === undefined) {
    return { status: 'published', requests: result.accepted, datums: datums.length };
  }
  // At most once: what CloudWatch accepted, or may have stored (a request that got no answer),
  // never goes to EMF; the batches after it do.
  const { reason, cause, delivery } = result.failure;
  const unsure = delivery === 'unknown' ? (batches[result.accepted] ?? []) : [];
  const rest = batches.slice(result.accepted + (unsure.length > 0 ? 1 : 0)).flat();
  const unconfirmed = unsure.length > 0 ? { unconfirmed: unsure.length } : {};
  if (rest.length === 0) {
    (context.log ?? writeLog)(
      causeLine(`CloudWatch metrics are unconfirmed: ${reason}`, cause, result.accepted),
    );
    return {
      status: 'unconfirmed',
      requests: result.accepted,
      datums: datums.length,
      ...unconfirmed,
      reason,
    };
  }
  const report = fallback(datums, rest, result.accepted, reason, cause, emf, context);
  return { ...report, ...unconfirmed };
}

function fallback(
  all: readonly MetricDatum[],
  rest: readonly MetricDatum[],
  accepted: number,
  reason: string,
  cause: unknown,
  emf: EmfBase,
  context: PublishContext,
): MetricsReport {
  writeEmfDatums(rest, emf);
  (context.log ?? writeLog)(
    causeLine(`CloudWatch metrics fell back to EMF on stdout: ${reason}`, cause, accepted),
  );
  return { status: 'fallback', requests: accepted, datums: all.length, reason };
}

/** Datums as EMF on stdout, one group of documents per dimension set (Target; Target+Schedule). */
function writeEmfDatums(datums: readonly MetricDatum[], base: EmfBase): void {
  const groups = new Map<string, MetricDatum[]>();
  for (const datum of datums) {
    const key = JSON.stringify(datum.Dimensions ?? []);
    const group = groups.get(key) ?? [];
    if (group.length === 0) groups.set(key, group);
    group.push(datum);
  }
  for (const [key, group] of groups) {
    const dimensions = JSON.parse(key) as Array<{ Name: string; Value: string }>;
    const byName = Object.fromEntries(dimensions.map((d) => [d.Name, d.Value]));
    writeEmf(fromDatums(group), { ...base, dimensions: byName }, toStdout);
  }
}

function toStdout(line: string): void {
  process.stdout.write(line);
}

/** The log line for metrics that fell back or were lost: the cause, with the SDK's metadata. */
function causeLine(message: string, cause: unknown, acceptedRequests = 0): LogLine {
  const error = cause instanceof Error ? cause : undefined;
  const metadata = (
    cause as
      | { $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number } }
      | undefined
  )?.$metadata;
  return {
    level: 'WARN',
    message,
    acceptedRequests,
    ...(error && {
      cause: {
        name: error.name,
        message: error.message,
        ...(metadata && {
          httpStatusCode: metadata.httpStatusCode,
          requestId: metadata.requestId,
          attempts: metadata.attempts,
        }),
      },
    }),
  };
}

function describe(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
