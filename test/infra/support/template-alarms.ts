import type { Template } from 'aws-cdk-lib/assertions';
import type { AlarmDefinition, Comparison, MetricQuery, TreatMissingData } from './alarm-model.js';
import type { Suppression } from './composite-model.js';
import { metricKey, type Statistic } from './metric-model.js';

interface CfnMetric {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions?: ReadonlyArray<{ Name: string; Value: unknown }>;
}
interface CfnAlarm extends Partial<CfnMetric> {
  readonly Statistic?: Statistic;
  readonly Period?: number;
  readonly Metrics?: ReadonlyArray<{
    Id: string;
    Expression?: string;
    ReturnData?: boolean;
    MetricStat?: { Metric: CfnMetric; Period: number; Stat: Statistic };
  }>;
  readonly Threshold: number;
  readonly ComparisonOperator: Comparison;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly TreatMissingData?: TreatMissingData;
}

/** Every alarm of the template by logical id, as the model reads it (nothing retyped). */
export function templateAlarms(template: Template): Record<string, AlarmDefinition> {
  const resources = template.findResources('AWS::CloudWatch::Alarm') as Record<
    string,
    { Properties: CfnAlarm }
  >;
  return Object.fromEntries(
    Object.entries(resources).map(([id, r]) => [id, toDefinition(r.Properties)]),
  );
}

/** The alarm whose logical id starts with `prefix` (construct path without separators). */
export function templateAlarm(template: Template, prefix: string): AlarmDefinition {
  const found = Object.entries(templateAlarms(template)).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one alarm ${prefix}*, found ${found.length}`);
  return (found[0] as [string, AlarmDefinition])[1];
}

function key(metric: CfnMetric): string {
  const dims = Object.fromEntries(
    (metric.Dimensions ?? []).map((d) => [
      d.Name,
      typeof d.Value === 'string' ? d.Value : JSON.stringify(d.Value),
    ]),
  );
  return metricKey(metric.Namespace, metric.MetricName, dims);
}

function toDefinition(p: CfnAlarm): AlarmDefinition {
  const rule = {
    threshold: p.Threshold,
    comparison: p.ComparisonOperator,
    evaluationPeriods: p.EvaluationPeriods,
    datapointsToAlarm: p.DatapointsToAlarm ?? p.EvaluationPeriods,
    treatMissingData: p.TreatMissingData ?? 'missing',
  };
  if (p.Metrics === undefined) {
    if (p.Namespace === undefined || p.MetricName === undefined || p.Statistic === undefined) {
      throw new Error('an alarm has a metric or Metrics');
    }
    const metric = { key: key(p as CfnMetric), statistic: p.Statistic };
    return { ...rule, period: p.Period ?? 60, queries: [{ id: 'm', metric, returnData: true }] };
  }
  const periods = new Set(p.Metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Period] : [])));
  const [period, ...others] = [...periods];
  if (period === undefined || others.length > 0) throw new Error('one period per alarm');
  const queries: MetricQuery[] = p.Metrics.map((m) => ({
    id: m.Id,
    expression: m.Expression,
    metric: m.MetricStat && { key: key(m.MetricStat.Metric), statistic: m.MetricStat.Stat },
    returnData: m.ReturnData ?? true,
  }));
  return { ...rule, period, queries };
}

/** A composite alarm of the template as the composite model reads it, with what it refers to. */
export interface CompositeDefinition {
  /** Logical ids of the alarms its rule and its suppressor refer to. */
  readonly ruleRefersTo: readonly string[];
  readonly suppressor: string | undefined;
  readonly suppression: Suppression;
}

/** The composite alarm whose logical id starts with `prefix`. */
export function templateComposite(template: Template, prefix: string): CompositeDefinition {
  const found = Object.entries(template.findResources('AWS::CloudWatch::CompositeAlarm')).filter(
    ([id]) => id.startsWith(prefix),
  );
  if (found.length !== 1)
    throw new Error(`expected one composite ${prefix}*, found ${found.length}`);
  const p = (found[0] as [string, { Properties: Record<string, unknown> }])[1].Properties;
  const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
  const refersTo = (value: unknown) => {
    const text = JSON.stringify(value ?? null);
    return alarms.filter((id) => text.includes(`"${id}"`));
  };
  return {
    ruleRefersTo: refersTo(p.AlarmRule),
    suppressor: refersTo(p.ActionsSuppressor)[0],
    suppression: {
      waitPeriod: Number(p.ActionsSuppressorWaitPeriod),
      extensionPeriod: Number(p.ActionsSuppressorExtensionPeriod),
    },
  };
}

/** The logical id of the alarm whose logical id starts with `prefix`. */
export function templateAlarmId(template: Template, prefix: string): string {
  const found = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) =>
    id.startsWith(prefix),
  );
  if (found.length !== 1) throw new Error(`expected one alarm ${prefix}*, found ${found.length}`);
  return found[0] as string;
}
