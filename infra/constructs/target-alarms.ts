import { Duration } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { alarmOnAny, alarmOnLatest } from './alarm-shapes.js';
import type { SweepMetrics } from './sweep-metrics.js';

/** Every sweep of the target, API and scheduled alike, is judged over hours, not minutes. */
const TARGET_PERIOD = Duration.hours(1);

/** Warn this many days before the target's certificate expires, unless told otherwise. */
export const DEFAULT_CERTIFICATE_WARNING_DAYS = 14;

/**
 * Alarms on every sweep of the target (API sweeps included), created in `scope`: too few ids
 * meeting their expectation, ids not attempted, failed shards, a certificate expiring soon.
 */
export function targetAlarms(
  scope: Construct,
  metrics: SweepMetrics,
  successRateThreshold: number,
  certificateWarningDays = DEFAULT_CERTIFICATE_WARNING_DAYS,
): Alarm[] {
  return [
    // HTTP targets publish no CertificateDaysLeft: the alarm stays without data, never fires.
    alarmOnLatest(scope, 'CertificateExpiry', {
      alarmDescription: `In the latest hour with sweeps, the target's TLS certificate had fewer than ${certificateWarningDays} days left.`,
      metric: metrics.metricCertificateDaysLeft({ period: TARGET_PERIOD }),
      threshold: certificateWarningDays,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    }),
    alarmOnLatest(scope, 'SuccessRate', {
      alarmDescription: `In the latest hour with sweeps, fewer than ${successRateThreshold}% of the ids attempted met their expectation.`,
      metric: metrics.metricIdSuccessRate({ period: TARGET_PERIOD }),
      threshold: successRateThreshold,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    }),
    alarmOnAny(
      scope,
      'IncompleteSweeps',
      metrics.metricNotAttempted({ period: TARGET_PERIOD }),
      'A sweep in the last hour left ids not attempted (deadline, time budget or failed shards).',
    ),
    alarmOnAny(
      scope,
      'FailedShards',
      metrics.metricFailedShards({ period: TARGET_PERIOD }),
      'A shard of a distributed sweep in the last hour failed after its retries.',
    ),
  ];
}

/**
 * The same alarms for each additional target, each in a scope of its own (`Target-<name>`): the
 * first target's alarms keep their ids, so adding targets replaces none.
 */
export function additionalTargetAlarms(
  scope: Construct,
  props: {
    readonly additionalMetrics?: Readonly<Record<string, SweepMetrics>>;
    readonly successRateThreshold?: number;
    readonly certificateWarningDays?: number;
  },
): Alarm[] {
  return Object.entries(props.additionalMetrics ?? {}).flatMap(([name, metrics]) =>
    targetAlarms(
      new Construct(scope, `Target-${name}`),
      metrics,
      props.successRateThreshold ?? 95,
      props.certificateWarningDays,
    ),
  );
}
