import type { ScheduleConfig, StatusSweepConfig } from '../infra/config/schema.js';
import {
  MetricName,
  PER_SCHEDULE_METRICS,
  SCHEDULE_ONLY_METRICS,
} from '../lambda/metrics/names.js';

/**
 * `status-sweep config`: what a config file deploys, and its monthly cost on paper at list
 * prices. The alarm count follows the constructs (target-alarms.ts: 4 per target;
 * schedule-alarms.ts: 3 per enabled schedule, one more and 2 composite alarms when it has mute
 * windows; service-alarms.ts: 7), and a test holds it to a synthesized template.
 */

/**
 * us-east-1 list prices, USD, as AWS listed them in January 2025, before free tiers.
 * @see https://aws.amazon.com/cloudwatch/pricing/
 * @see https://aws.amazon.com/eventbridge/pricing/
 */
export const PRICES = {
  date: '2025-01',
  dashboardMonth: 3.0,
  alarmMetricMonth: 0.1,
  compositeAlarmMonth: 0.5,
  customMetricMonth: 0.3,
  schedulerMillion: 1.0,
} as const;

const ALARMS_PER_TARGET = 4;
const ALARMS_PER_SCHEDULE = 3;
/** A schedule with mute windows: its Muted alarm, and the composite twins of Failed and NewlyUnexpected. */
const ALARMS_PER_MUTED_SCHEDULE = 1;
const COMPOSITES_PER_MUTED_SCHEDULE = 2;
const SERVICE_ALARMS = 7;
const MINUTES_PER_MONTH = 30 * 24 * 60;

/** What the file deploys, counted. */
export interface Plan {
  /** Metric alarms. */
  readonly alarms: number;
  readonly compositeAlarms: number;
  readonly customMetrics: number;
  readonly invocationsPerMonth: number;
  readonly monthlyUsd: number;
}

export function planOf(config: StatusSweepConfig): Plan {
  const enabled = (config.schedules ?? []).filter((s) => s.enabled ?? true);
  const muted = enabled.filter((s) => (s.mute?.length ?? 0) > 0).length;
  const alarms =
    ALARMS_PER_TARGET * config.targets.length +
    ALARMS_PER_SCHEDULE * enabled.length +
    ALARMS_PER_MUTED_SCHEDULE * muted +
    SERVICE_ALARMS;
  const compositeAlarms = COMPOSITES_PER_MUTED_SCHEDULE * muted;
  // Each metric name once per Target, and the per-schedule ones once more per schedule (Muted
  // only for schedules with mute windows).
  const perTarget = Object.values(MetricName).filter((n) => !SCHEDULE_ONLY_METRICS.includes(n));
  const customMetrics =
    perTarget.length * config.targets.length +
    PER_SCHEDULE_METRICS.filter((n) => n !== MetricName.muted).length * enabled.length +
    muted;
  const invocationsPerMonth = enabled.reduce((sum, s) => sum + runsPerMonth(s), 0);
  const monthlyUsd =
    PRICES.dashboardMonth +
    alarms * PRICES.alarmMetricMonth +
    compositeAlarms * PRICES.compositeAlarmMonth +
    customMetrics * PRICES.customMetricMonth +
    (invocationsPerMonth / 1e6) * PRICES.schedulerMillion;
  return { alarms, compositeAlarms, customMetrics, invocationsPerMonth, monthlyUsd };
}

/** Sweeps a month: exact for rate(); for cron(), its minutes × hours × weekdays over 30 days. */
export function runsPerMonth(schedule: ScheduleConfig): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(schedule.expression);
  if (rate) {
    const unit = { minute: 1, hour: 60, day: 1_440 }[rate[2] as 'minute' | 'hour' | 'day'];
    return Math.floor(MINUTES_PER_MONTH / (Number(rate[1]) * unit));
  }
  const [minute = '0', hour = '0', , , weekday = '?'] =
    /^cron\((.+)\)$/.exec(schedule.expression)?.[1]?.split(/\s+/) ?? [];
  const days = weekday === '?' || weekday === '*' ? 30 : (30 * count(weekday, 7)) / 7;
  return Math.round(count(minute, 60) * count(hour, 24) * days);
}

/** How many values a cron field takes: `*`, `a,b`, `a-b`, `*\/n`. */
function count(field: string, size: number): number {
  return field.split(',').reduce((sum, part) => {
    const [range = '*', step = '1'] = part.split('/');
    const [lo, hi] = range === '*' ? [0, size - 1] : range.split('-').map(Number);
    const span =
      hi === undefined ? (part.includes('/') ? size - (lo ?? 0) : 1) : hi - (lo ?? 0) + 1;
    return sum + Math.ceil(span / Number(step));
  }, 0);
}

/** The plan for people: targets, schedules, alarms, cost, each price and its date named. */
export function planText(config: StatusSweepConfig, file: string): string {
  const plan = planOf(config);
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const lines = [
    `${file}: ${config.targets.length} target(s), ${(config.schedules ?? []).length} schedule(s)`,
    '',
    'targets (the first is the default):',
    ...config.targets.map(
      (t) =>
        `  ${t.name}  ${t.method ?? 'GET'} ${t.urlTemplate}${t.headersSecret ? `  headers: ${t.headersSecret}` : ''}${t.expect ? `  ${t.expect.length} rule(s)` : ''}`,
    ),
    '',
    'schedules:',
    ...(config.schedules ?? []).map(
      (s) =>
        `  ${s.name}  ${s.target ?? config.targets[0]?.name} ids ${s.start}-${s.end}  ${s.expression}  ~${runsPerMonth(s)} sweeps/month${s.enabled === false ? '  (disabled)' : ''}`,
    ),
    '',
    `alarms: ${plan.alarms}${plan.compositeAlarms > 0 ? ` and ${plan.compositeAlarms} composite` : ''}${config.alarms?.alarmEmail ? `, e-mailed to ${config.alarms.alarmEmail}` : ''}`,
    '',
    `monthly cost on paper (us-east-1 list prices of ${PRICES.date}, before free tiers):`,
    `  dashboard        1 × ${usd(PRICES.dashboardMonth)}`,
    `  alarms           ${plan.alarms} × ${usd(PRICES.alarmMetricMonth)} = ${usd(plan.alarms * PRICES.alarmMetricMonth)}`,
    ...(plan.compositeAlarms > 0
      ? [
          `  composite alarms ${plan.compositeAlarms} × ${usd(PRICES.compositeAlarmMonth)} = ${usd(plan.compositeAlarms * PRICES.compositeAlarmMonth)}`,
        ]
      : []),
    `  custom metrics   ${plan.customMetrics} × ${usd(PRICES.customMetricMonth)} = ${usd(plan.customMetrics * PRICES.customMetricMonth)}`,
    `  scheduler        ${plan.invocationsPerMonth} invocations × ${usd(PRICES.schedulerMillion)}/million`,
    `  total            ${usd(plan.monthlyUsd)} a month, plus Lambda time (it depends on your targets' latency) and API requests`,
    '',
  ];
  return lines.join('\n');
}
