import { Duration } from 'aws-cdk-lib';
import {
  MathExpression,
  type MathExpressionOptions,
  Metric,
  type MetricOptions,
} from 'aws-cdk-lib/aws-cloudwatch';
import { MetricName, TARGET_DIMENSION } from '../../lambda/metrics/names.js';

/** The HTTP status classes the function counts separately. */
export const StatusClass = { '2xx': '2xx', '3xx': '3xx', '4xx': '4xx', '5xx': '5xx' } as const;
export type StatusClass = (typeof StatusClass)[keyof typeof StatusClass];

const STATUS_CLASS_METRIC: Record<StatusClass, MetricName> = {
  '2xx': MetricName.status2xx,
  '3xx': MetricName.status3xx,
  '4xx': MetricName.status4xx,
  '5xx': MetricName.status5xx,
};

/** Dashboards and alarms look at five-minute windows unless they say otherwise. */
const DEFAULT_PERIOD = Duration.minutes(5);

/**
 * The metrics the sweep function publishes for one target, as CloudWatch `Metric`s. Names and the
 * dimension come from lambda/metrics/names.ts, the same constants the function uses.
 */
export class SweepMetrics {
  constructor(
    /** The CloudWatch namespace the function publishes to. */
    readonly namespace: string,
    /** The value of the `Target` dimension (the function's TARGET_NAME). */
    readonly targetName: string,
  ) {}

  /** Wall-clock duration of each sweep, in milliseconds. @default - average over 5 minutes */
  metricSweepDuration(props?: MetricOptions): Metric {
    return this.metric(MetricName.sweepDuration, { statistic: 'Average', ...props });
  }

  /**
   * Per-request latency from the `RequestLatency` distribution; percentiles (`p50`, `p99`) are
   * true percentiles across sweeps because the function publishes Values/Counts.
   */
  metricRequestLatency(percentile: `p${number}`, props?: MetricOptions): Metric {
    return this.metric(MetricName.requestLatency, {
      statistic: percentile,
      label: `latency ${percentile}`,
      ...props,
    });
  }

  /**
   * Per-sweep `SuccessRate`: percent of attempted ids whose final answer was 2xx or 3xx, absent
   * when nothing was attempted. Its average weighs a 10-id sweep like a 10,000-id one; use
   * `metricIdSuccessRate()` for alarms.
   */
  metricSuccessRate(props?: MetricOptions): Metric {
    return this.metric(MetricName.successRate, { statistic: 'Average', ...props });
  }

  /** Percent of all ids attempted in the period that met their expectation: 100 × ΣExpected / ΣRequests. */
  metricIdSuccessRate(props?: MathExpressionOptions): MathExpression {
    return new MathExpression({
      expression: '100 * expected / requests',
      usingMetrics: {
        expected: this.metric(MetricName.expected, { statistic: 'Sum' }),
        requests: this.metric(MetricName.requests, { statistic: 'Sum' }),
      },
      label: 'success rate (ids)',
      period: DEFAULT_PERIOD,
      ...props,
    });
  }

  /** Number of ids whose final response fell in the given status class. @default - sum */
  metricStatusClass(statusClass: StatusClass, props?: MetricOptions): Metric {
    return this.metric(STATUS_CLASS_METRIC[statusClass], {
      statistic: 'Sum',
      label: statusClass,
      ...props,
    });
  }

  /** Ids that ended in a network error or timeout (no HTTP status). @default - sum */
  metricErrors(props?: MetricOptions): Metric {
    return this.metric(MetricName.errors, { statistic: 'Sum', ...props });
  }

  /** Extra attempts made after a retryable outcome. @default - sum */
  metricRetries(props?: MetricOptions): Metric {
    return this.metric(MetricName.retries, { statistic: 'Sum', ...props });
  }

  /** Ids left unattempted because the sweep's deadline came first. @default - sum */
  metricNotAttempted(props?: MetricOptions): Metric {
    return this.metric(MetricName.notAttempted, { statistic: 'Sum', ...props });
  }

  /** Ids requested across sweeps. @default - sum */
  metricRequests(props?: MetricOptions): Metric {
    return this.metric(MetricName.requests, { statistic: 'Sum', ...props });
  }

  /** Number of sweeps that finished (one SweepDuration datum each). */
  metricSweepsCompleted(props?: MetricOptions): Metric {
    return this.metric(MetricName.sweepDuration, {
      statistic: 'SampleCount',
      label: 'sweeps',
      ...props,
    });
  }

  /** Any of the published metrics, with this target's dimension and namespace. */
  metric(metricName: MetricName, props?: MetricOptions): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { [TARGET_DIMENSION]: this.targetName },
      period: DEFAULT_PERIOD,
      ...props,
    });
  }
}
