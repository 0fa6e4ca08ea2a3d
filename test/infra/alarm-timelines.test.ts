import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AlarmDefinition,
  type Alignment,
  simulate,
  type Transition,
} from './support/alarm-model.js';
import { MetricStore } from './support/metric-model.js';
import { scheduledSweeps, sweepDatums } from './support/sweep-timelines.js';
import { synthTemplate } from './support/synth.js';
import { templateAlarm } from './support/template-alarms.js';

const TARGET = 'pokeapi.co';
const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2024-01-01 06:00 UTC: a firing of every schedule below, the weekly cron included. */
const T0 = Date.UTC(2024, 0, 1, 6) / 1000;
/** Scheduler fires within 60 s, a sweep runs up to 2 minutes: 3 minutes late at worst. */
const LATE = 3 * MINUTE;

const SCHEDULES = [
  { name: 'minutely', expression: 'rate(1 minute)', interval: MINUTE },
  { name: 'quarterly', expression: 'rate(15 minutes)', interval: 15 * MINUTE },
  { name: 'hourly', expression: 'rate(1 hour)', interval: HOUR },
  { name: 'daily', expression: 'rate(1 day)', interval: DAY },
  { name: 'weekly', expression: 'cron(0 6 ? * MON *)', interval: 7 * DAY },
] as const;
/** Every bucket alignment, with the least and the documented look-back beyond N periods. */
const VARIANTS = (['sliding', 'period'] as Alignment[]).flatMap((alignment) =>
  [1, 2].map((extraRangePeriods) => ({ alignment, extraRangePeriods })),
);

const alarmsOf: Record<string, { failed: AlarmDefinition; missed: AlarmDefinition }> = {};
beforeAll(() => {
  const template = synthTemplate({
    schedules: SCHEDULES.map(({ name, expression }) => ({ name, expression, start: 1, end: 10 })),
  });
  for (const { name } of SCHEDULES) {
    alarmsOf[name] = {
      failed: templateAlarm(template, `AlarmsSchedule${name}Failed`),
      missed: templateAlarm(template, `AlarmsSchedule${name}MissedSweep`),
    };
  }
});

/** The first time at or after `from` the alarm is in ALARM, or undefined. */
const firstAlarm = (transitions: Transition[], from = -Infinity): number | undefined =>
  transitions.find((t) => t.state === 'ALARM' && t.time >= from)?.time;

describe.each(SCHEDULES)('the alarms of a $expression schedule', ({ name, interval }) => {
  const alarms = () => alarmsOf[name] ?? expect.fail(`no alarms for ${name}`);
  const run = (alarm: AlarmDefinition, events: ReturnType<typeof scheduledSweeps>, to: number) =>
    VARIANTS.map((variant) => {
      // API sweeps feed the target's metrics every 5 minutes: they must not hide the schedule.
      const api = scheduledSweeps({
        first: T0 - DAY,
        interval: 5 * MINUTE,
        count: (to - T0 + DAY) / 300,
      });
      const store = new MetricStore([
        ...sweepDatums(TARGET, name, events),
        ...sweepDatums(TARGET, undefined, api),
      ]);
      // Deployed one interval before the first sweep.
      const from = T0 - interval;
      return { variant, transitions: simulate(alarm, store, { ...variant, from, to }) };
    });

  it('never alarms while healthy, every other sweep 3 minutes late', () => {
    const events = scheduledSweeps({
      first: T0,
      interval,
      count: 6,
      lateness: (k) => (k % 2) * LATE,
    });
    const end = (events.at(-1)?.time ?? T0) + interval / 2;
    for (const alarm of [alarms().failed, alarms().missed]) {
      // From when the first sweep is visible in any bucket alignment (see the deploy test).
      const visible = T0 + alarm.period + MINUTE;
      for (const { variant, transitions } of run(alarm, events, end)) {
        const alarmedAt = firstAlarm(transitions, visible);
        expect({ variant, alarmedAt }).toEqual({ variant, alarmedAt: undefined });
      }
    }
  });

  it('alarms within two sweeps once its sweeps fail, and stays in ALARM while they do', () => {
    const events = scheduledSweeps({ first: T0, interval, count: 6, failed: (k) => k >= 3 });
    const secondFailure = events[4]?.time ?? Infinity;
    for (const { variant, transitions } of run(alarms().failed, events, secondFailure + interval)) {
      const alarmedAt = firstAlarm(transitions, T0) ?? Infinity;
      expect(alarmedAt, JSON.stringify(variant)).toBeGreaterThanOrEqual(events[3]?.time ?? 0);
      expect(alarmedAt, JSON.stringify(variant)).toBeLessThanOrEqual(secondFailure + MINUTE);
      expect(transitions.at(-1)?.state).toBe('ALARM');
    }
  });

  it('takes no action on failing sweeps inside a mute window, and alarms on the first failure after it', () => {
    // Sweeps 2 and 3 fail inside the window, sweep 5 fails after it.
    const events = scheduledSweeps({
      first: T0,
      interval,
      count: 7,
      failed: (k) => k === 2 || k === 3 || k === 5,
      muted: (k) => k === 2 || k === 3,
    });
    const failedAfter = events[5]?.time ?? Infinity;
    for (const { variant, transitions } of run(alarms().failed, events, failedAfter + interval)) {
      const alarmedAt = firstAlarm(transitions, T0) ?? Infinity;
      expect(alarmedAt, JSON.stringify(variant)).toBeGreaterThanOrEqual(failedAfter);
      expect(alarmedAt, JSON.stringify(variant)).toBeLessThanOrEqual(failedAfter + 2 * MINUTE);
    }
  });

  it('alarms within about twice its interval once it stops, and not before a sweep is overdue', () => {
    const events = scheduledSweeps({ first: T0, interval, count: 4, lateness: () => LATE });
    const last = events.at(-1)?.time ?? T0;
    const { missed } = alarms();
    const bound = Math.max(2 * interval, interval + 6 * MINUTE) + missed.period + MINUTE;
    const end = last + Math.max(3 * interval, interval + 20 * MINUTE);
    for (const { variant, transitions } of run(missed, events, end)) {
      const alarmedAt = firstAlarm(transitions, last) ?? Infinity;
      expect(alarmedAt - last, JSON.stringify(variant)).toBeGreaterThan(interval + LATE);
      expect(alarmedAt - last, JSON.stringify(variant)).toBeLessThanOrEqual(bound);
      expect(transitions.at(-1)?.state).toBe('ALARM');
    }
  });

  it('waits for the first sweep after deploying: no alarm, except a weekly one until its first sweep', () => {
    const events = scheduledSweeps({ first: T0, interval, count: 1 });
    for (const alarm of [alarms().failed, alarms().missed]) {
      const beforeFirst = alarm === alarms().missed && name === 'weekly' ? 'ALARM' : undefined;
      for (const { variant, transitions } of run(alarm, events, T0)) {
        const deployedState = firstAlarm(transitions) === undefined ? undefined : 'ALARM';
        expect({ variant, deployedState }).toEqual({ variant, deployedState: beforeFirst });
      }
    }
  });
});
