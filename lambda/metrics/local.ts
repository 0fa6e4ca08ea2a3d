import type { Config } from '../ground/config.js';
import { certificateReport, latencySummary, type SweepAggregate } from '../sweep/data.js';
import type { SweepVerdict } from '../verdict/verdict.js';
import { sweepCounts } from './measurements.js';
import { MetricName, TARGET_DIMENSION } from './names.js';

/**
 * Pure: the metrics a sweep would publish, as a few lines a person reads at a glance. Local sweeps
 * print it on stderr (stdout is the CLI's JSON).
 */
export function formatLocalSummary(
  aggregate: SweepAggregate,
  verdict: SweepVerdict,
  config: Config,
): string {
  const c = sweepCounts(aggregate, verdict);
  const rate = c.successRate === null ? 'n/a' : `${c.successRate.toFixed(1)} %`;
  const latency = latencySummary(aggregate);
  const { certificate } = aggregate;
  const days = certificate && certificateReport(certificate, aggregate.endedAt).daysLeft;
  const latencyLine =
    latency === null
      ? `${MetricName.requestLatency} none (no id got a response)`
      : `${MetricName.requestLatency} p50 ${ms(latency.p50)} · p90 ${ms(latency.p90)} · p99 ${ms(latency.p99)} (${aggregate.latency.count} samples)`;
  return [
    `metrics (METRICS_MODE=local, not sent): ${config.metricsNamespace} ${TARGET_DIMENSION}=${config.targetName}`,
    `  verdict ${verdict.verdict} · ${MetricName.requests} ${c.requests} · ${MetricName.expected} ${c.expected} · ${MetricName.unexpected} ${c.unexpected} · ${MetricName.successRate} ${rate}`,
    `  2xx ${c.status2xx} · 3xx ${c.status3xx} · 4xx ${c.status4xx} · 5xx ${c.status5xx} · ${MetricName.errors} ${c.errors} · ${MetricName.retries} ${c.retries} · ${MetricName.notAttempted} ${c.notAttempted}`,
    `  ${MetricName.sweepDuration} ${ms(aggregate.endedAt - aggregate.startedAt)} · ${latencyLine}`,
    `  ${MetricName.contentMismatch} ${verdict.unexpectedReasons.content} · ${MetricName.slow} ${verdict.unexpectedReasons.slow}${days === undefined ? '' : ` · ${MetricName.certificateDaysLeft} ${days}`}`,
    '',
  ].join('\n');
}

function ms(value: number): string {
  return `${Math.round(value * 10) / 10} ms`;
}
