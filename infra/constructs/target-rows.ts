import { type Dashboard, GraphWidget, type IMetric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { SweepMetrics } from './sweep-metrics.js';
import { Verdict } from './sweep-metrics.js';

/** Width of a CloudWatch dashboard row, in grid units. */
const ROW = 24;
const QUARTER = ROW / 4;

/**
 * A row per additional target on the dashboard (the first target has the rows above): a title,
 * then its verdicts, unexpected ids, ids meeting expectation and request latency, each read by
 * its own `Target` dimension.
 */
export function addTargetRows(
  dashboard: Dashboard,
  additionalMetrics: Readonly<Record<string, SweepMetrics>>,
): void {
  const graph = (title: string, left: IMetric[], stacked = false) =>
    new GraphWidget({ title, left, width: QUARTER, height: 6, stacked });
  for (const [name, metrics] of Object.entries(additionalMetrics)) {
    dashboard.addWidgets(new TextWidget({ markdown: `## Target ${name}`, width: ROW, height: 1 }));
    dashboard.addWidgets(
      graph(
        `${name}: verdicts (sweeps)`,
        Object.values(Verdict).map((verdict) => metrics.metricVerdict(verdict)),
        true,
      ),
      graph(`${name}: unexpected outcomes (ids)`, [
        metrics.metricUnexpected({ label: 'unexpected' }),
        metrics.metricNewlyUnexpected({ label: 'newly unexpected' }),
      ]),
      graph(`${name}: ids meeting expectation (%)`, [
        metrics.metricIdSuccessRate({ label: 'ids meeting expectation' }),
      ]),
      graph(`${name}: request latency (ms)`, [
        metrics.metricRequestLatency('p50'),
        metrics.metricRequestLatency('p99'),
      ]),
    );
  }
}
