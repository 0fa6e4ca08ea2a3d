import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { type LogLine, type LogWriter, writeLog } from '../ground/log.js';
import { sendBatches } from './cloudwatch.js';
import { batchDatums, fromDatums } from './datums.js';
import { type EmfOptions, writeEmf } from './emf.js';
import type { MetricsReport } from './report.js';

/*
 * PutMetricData within what is left of the sweep, at most once per datum: what CloudWatch did not
 * take (time was short, or it failed) goes to stdout as EMF instead, with a log line saying why.
 */

/** When the metrics must be sent by, and where a fallback's cause is logged. */
export interface SendContext {
  /** Epoch ms by which publishing must be done. */
  readonly deadline: number;
  /** Where a fallback's cause is logged. @default - the function's log writer (stdout) */
  readonly log?: LogWriter;
}

/** EMF settings but the dimensions, which each datum carries. */
export type EmfBase = Omit<EmfOptions, 'dimensions'>;

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

/** PutMetricData for the datums, EMF on stdout for what it could not take. */
export async function publishToCloudWatch(
  datums: readonly MetricDatum[],
  emf: EmfBase,
  context: SendContext,
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
  context: SendContext,
): MetricsReport {
  writeEmfDatums(rest, emf);
  (context.log ?? writeLog)(
    causeLine(`CloudWatch metrics fell back to EMF on stdout: ${reason}`, cause, accepted),
  );
  return { status: 'fallback', requests: accepted, datums: all.length, reason };
}

/** Datums as EMF on stdout, one group of documents per dimension set (Target; Target+Schedule). */
export function writeEmfDatums(datums: readonly MetricDatum[], base: EmfBase): void {
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
export function causeLine(message: string, cause: unknown, acceptedRequests = 0): LogLine {
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
