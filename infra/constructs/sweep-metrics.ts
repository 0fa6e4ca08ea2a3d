import { Duration } from 'aws-cdk-lib';
import {
  MathExpression,
  type MathExpressionOptions,
  Metric,
  type MetricOptions,
} from 'aws-cdk-lib/aws-cloudwatch';
import {
  MetricName,
  PER_SCHEDULE_METRICS,
  SCHEDULE_DIMENSION,
  TARGET_DIMENSION,
} from '../../lambda/metrics/names.js';

/** The HTTP status classes the function counts separately. */
export const StatusClass = { '2xx': '2xx', '3xx': '3xx', '4xx': '4xx', '5xx': '5xx' } as const;
export type StatusClass = (typeof StatusClass)[keyof typeof StatusClass];

const STATUS_CLASS_METRIC: Record<StatusClass, MetricName> = {
  '2xx': MetricName.status2xx,
  '3xx': MetricName.status3xx,
  '4xx': MetricName.status4xx,
  '5xx': MetricName.status5xx,
};

/** The phases of a request the function times, each its own distribution. */
export const Phase = {
  connect: 'connect',
  tls: 'tls',
  firstByte: 'firstByte',
  body: 'body',
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

const PHASE_METRIC: Record<Phase, MetricName> = {
  connect: MetricName.connectLatency,
  tls: MetricName.tlsLatency,
  firstByte: MetricName.firstByteLatency,
  body: MetricName.bodyLatency,
};

/** Dashboards and alarms look at five-minute windows unless they say otherwise. */
const DEFAULT_PERIOD = Duration.minutes(5);

/** A sweep's verdict, as the function publishes it (one 0/1 datum per verdict per sweep). */
export const Verdict = { ok: 'ok', degraded: 'degraded', failed: 'failed' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

const VERDICT_METRIC: Record<Verdict, MetricName> = {
  ok: MetricName.verdictOk,
  degraded: MetricName.verdictDegraded,
  failed: MetricName.verdictFailed,
};

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
    /** The `Schedule` dimension: only that schedule's sweeps. @default - every sweep */
    readonly schedule?: string,
  ) {}

  /** The `PER_SCHEDULE_METRICS` of one schedule's sweeps (dimensions Target and Schedule). */
  forSchedule(schedule: string): SweepMetrics {
    return new SweepMetrics(this.namespace, this.targetName, schedule);
  }

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
   * One phase of RequestLatency (`connect` and `tls` per new connection, `firstByte` and `body`
   * per id), a percentile across sweeps like metricRequestLatency's.
   */
  metricPhaseLatency(phase: Phase, percentile: `p${number}`, props?: MetricOptions): Metric {
    return this.metric(PHASE_METRIC[phase], {
      statistic: percentile,
      label: `${phase} ${percentile}`,
      ...props,
    });
  }

  /** Ids whose status their rule accepts but whose body failed its checks. @default - sum */
  metricContentMismatch(props?: MetricOptions): Metric {
    return this.metric(MetricName.contentMismatch, { statistic: 'Sum', ...props });
  }

  /** Ids slower than their rule's maxLatencyMs. @default - sum */
  metricSlow(props?: MetricOptions): Metric {
    return this.metric(MetricName.slow, { statistic: 'Sum', ...props });
  }

  /**
   * Days until the earliest-expiring leaf certificate the target's connections were given
   * (HTTPS targets only). @default - minimum over 5 minutes
   */
  metricCertificateDaysLeft(props?: MetricOptions): Metric {
    return this.metric(MetricName.certificateDaysLeft, { statistic: 'Minimum', ...props });
  }

  /**
   * Per-sweep `SuccessRate`: percent of attempted ids that met their expectation, absent when
   * nothing was attempted. Its average weighs a 10-id sweep like a 10,000-id one; use
   * `metricIdSuccessRate()` for alarms.
   */
  metricSuccessRate(props?: MetricOptions): Metric {
    return this.metric(MetricName.successRate, { statistic: 'Average', ...props });
  }

  /** Percent of the ids attempted in the period that met their expectation, across sweeps. */
  metricIdSuccessRate(props?: MathExpressionOptions): MathExpression {
    return new MathExpression({
      expression: '100 * expected / (expected + unexpected)',
      usingMetrics: {
        expected: this.metric(MetricName.expected, { statistic: 'Sum' }),
        unexpected: this.metricUnexpected(),
      },
      label: 'ids meeting expectation (%)',
      period: DEFAULT_PERIOD,
      ...props,
    });
  }

  /** Sweeps with this verdict. @default - sum over 5 minutes */
  metricVerdict(verdict: Verdict, props?: MetricOptions): Metric {
    return this.metric(VERDICT_METRIC[verdict], { statistic: 'Sum', label: verdict, ...props });
  }

  /** Attempted ids whose outcome did not meet their expectation. @default - sum */
  metricUnexpected(props?: MetricOptions): Metric {
    return this.metric(MetricName.unexpected, { statistic: 'Sum', ...props });
  }

  /** Ids that met their expectation in the baseline and do not now. @default - sum */
  metricNewlyUnexpected(props?: MetricOptions): Metric {
    return this.metric(MetricName.newlyUnexpected, { statistic: 'Sum', ...props });
  }

  /** Ids that did not meet their expectation in the baseline and do now. @default - sum */
  metricRecovered(props?: MetricOptions): Metric {
    return this.metric(MetricName.recovered, { statistic: 'Sum', ...props });
  }

  /** Shards of distributed sweeps that failed (their ids count as not attempted). @default - sum */
  metricFailedShards(props?: MetricOptions): Metric {
    return this.metric(MetricName.failedShards, { statistic: 'Sum', ...props });
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

  /**
   * Per schedule: failed sweeps among its last `alarmAfter.of`, as the latest sweep counted them.
   * @default - maximum
   */
  metricRecentFailures(props?: MetricOptions): Metric {
    return this.metric(MetricName.recentFailures, { statistic: 'Maximum', ...props });
  }

  /** Per schedule with mute windows: 1 when a window covered the sweep. @default - maximum */
  metricMuted(props?: MetricOptions): Metric {
    return this.metric(MetricName.muted, { statistic: 'Maximum', ...props });
  }

  /** Sweeps that finished (a `Sweeps` datum of 1 each). @default - sum */
  metricSweeps(props?: MetricOptions): Metric {
    return this.metric(MetricName.sweeps, { statistic: 'Sum', label: 'sweeps', ...props });
  }

  /** Any of the published metrics, with this target's (and schedule's) dimensions. */
  metric(metricName: MetricName, props?: MetricOptions): Metric {
    const { schedule } = this;
    if (schedule !== undefined && !PER_SCHEDULE_METRICS.includes(metricName)) {
      throw new Error(`${metricName} is not published per schedule (PER_SCHEDULE_METRICS)`);
    }
    return new Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: {
        [TARGET_DIMENSION]: this.targetName,
        ...(schedule === undefined ? {} : { [SCHEDULE_DIMENSION]: schedule }),
      },
      period: DEFAULT_PERIOD,
      ...props,
    });
  }
}
