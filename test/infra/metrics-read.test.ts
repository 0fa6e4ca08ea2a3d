import { describe, expect, it } from 'vitest';
import {
  MetricName,
  PER_SCHEDULE_METRICS,
  SCHEDULE_DIMENSION,
  SCHEDULE_ONLY_METRICS,
  TARGET_DIMENSION,
} from '../../lambda/metrics/names.js';
import { dashboardBody, synthTemplate } from './support/synth.js';

const NAMESPACE = 'StatusSweep';

/** A metric as `<name> by <dimension names>`, how CloudWatch bills it (per dimension set). */
const key = (name: string, dimensions: readonly string[]) =>
  `${name} by ${[...dimensions].sort().join(',')}`;

describe('every metric the functions publish', () => {
  it('is read by an alarm or a dashboard widget, per target and per schedule', () => {
    const template = synthTemplate({
      schedules: [
        {
          name: 'kanto',
          expression: 'rate(30 minutes)',
          start: 1,
          end: 151,
          // Muted is published (and read) for schedules with mute windows only.
          mute: [{ cron: '0 2 ? * SUN *', minutes: 60 }],
        },
      ],
    });
    const read = new Set<string>();
    for (const widget of dashboardBody(template).widgets) {
      for (const line of widget.properties.metrics ?? []) {
        const [namespace, name, ...rest] = line as unknown[];
        if (namespace !== NAMESPACE || typeof name !== 'string') continue;
        const pairs = rest.filter((part) => typeof part === 'string') as string[];
        read.add(
          key(
            name,
            pairs.filter((_, i) => i % 2 === 0),
          ),
        );
      }
    }
    type Stat = { MetricName?: string; Namespace?: string; Dimensions?: Array<{ Name: string }> };
    for (const { Properties: alarm } of Object.values(
      template.findResources('AWS::CloudWatch::Alarm'),
    ) as Array<{ Properties: Stat & { Metrics?: Array<{ MetricStat?: { Metric: Stat } }> } }>) {
      const stats = [alarm, ...(alarm.Metrics ?? []).map((m) => m.MetricStat?.Metric ?? {})];
      for (const stat of stats) {
        if (stat.Namespace !== NAMESPACE || stat.MetricName === undefined) continue;
        read.add(
          key(
            stat.MetricName,
            (stat.Dimensions ?? []).map((d) => d.Name),
          ),
        );
      }
    }

    const published = [
      ...Object.values(MetricName)
        .filter((name) => !SCHEDULE_ONLY_METRICS.includes(name))
        .map((name) => key(name, [TARGET_DIMENSION])),
      ...PER_SCHEDULE_METRICS.map((name) => key(name, [TARGET_DIMENSION, SCHEDULE_DIMENSION])),
    ];

    expect(published.filter((metric) => !read.has(metric))).toEqual([]);
  });
});
