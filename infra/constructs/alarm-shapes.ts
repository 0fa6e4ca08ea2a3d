import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/**
 * Fires when the metric counts anything in a period (Sum ≥ 1). For metrics that exist only when
 * something happens (errors, throttles, 5xx), so silence is healthy (missing data not breaching).
 */
export function alarmOnAny(
  scope: Construct,
  id: string,
  metric: IMetric,
  alarmDescription: string,
): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/**
 * Follows the latest period that has data: for per-sweep metrics published by every sweep (0
 * included), the alarm says what the latest sweep said, however long ago it ran. Between sweeps
 * there is no data and the state is kept (missing data ignored), so a sparse schedule neither
 * flaps back to OK nor needs several datapoints in one evaluation range.
 */
export function alarmOnLatest(
  scope: Construct,
  id: string,
  props: {
    readonly metric: IMetric;
    readonly threshold: number;
    readonly comparisonOperator: ComparisonOperator;
    readonly alarmDescription: string;
  },
): Alarm {
  return new Alarm(scope, id, {
    ...props,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: TreatMissingData.IGNORE,
  });
}
