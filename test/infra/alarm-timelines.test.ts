import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AlarmDefinition,
  type Alignment,
  simulate,
  type Transition,
} from './support/alarm-model.js';
import { type Action, compositeActions, type Suppression } from './support/composite-model.js';
import { MetricStore } from './support/metric-model.js';
import { type ScheduleShape, scheduledSweeps, sweepDatums } from './support/sweep-timelines.js';
import { synthTemplate } from './support/synth.js';
import { templateAlarm, templateAlarmId, templateComposite } from './support/template-alarms.js';

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

/** Each cadence deployed three ways: as it comes, alarming after 2 of 3, with a mute window. */
const TWO_OF_THREE = { alarmAfter: { sweeps: 2, of: 3 } } as const;
const WINDOW = { cron: '0 3 ? * SUN *', minutes: 60 };
const MUTED_SHAPE: ScheduleShape = { muteWindows: true };

interface Deployed {
  failed: AlarmDefinition;
  missed: AlarmDefinition;
  failedTwoOfThree: AlarmDefinition;
  /** The muted schedule's Failed and Muted alarms, and its composite's suppression. */
  mutedFailed: AlarmDefinition;
  muted: AlarmDefinition;
  suppression: Suppression;
}
const alarmsOf: Record<string, Deployed> = {};
beforeAll(() => {
  const template = synthTemplate({
    schedules: SCHEDULES.flatMap(({ name, expression }) => [
      { name, expression, start: 1, end: 10 },
      { name: `${name}-2of3`, expression, start: 1, end: 10, ...TWO_OF_THREE },
      { name: `${name}-muted`, expression, start: 1, end: 10, mute: [WINDOW] },
    ]),
  });
  for (const { name } of SCHEDULES) {
    const composite = templateComposite(template, `AlarmsSchedule${name}mutedFailedOutsideMute`);
    // The composite follows the muted schedule's Failed alarm, suppressed by its Muted alarm.
    expect(composite.ruleRefersTo).toEqual([
      templateAlarmId(template, `AlarmsSchedule${name}mutedFailed`),
    ]);
    expect(composite.suppressor).toBe(templateAlarmId(template, `AlarmsSchedule${name}mutedMuted`));
    alarmsOf[name] = {
      failed: templateAlarm(template, `AlarmsSchedule${name}Failed`),
      missed: templateAlarm(template, `AlarmsSchedule${name}MissedSweep`),
      failedTwoOfThree: templateAlarm(template, `AlarmsSchedule${name}2of3Failed`),
      mutedFailed: templateAlarm(template, `AlarmsSchedule${name}mutedFailed`),
      muted: templateAlarm(template, `AlarmsSchedule${name}mutedMuted`),
      suppression: composite.suppression,
    };
  }
});

/** The first time at or after `from` the alarm is in ALARM, or undefined. */
const firstAlarm = (transitions: Transition[], from = -Infinity): number | undefined =>
  transitions.find((t) => t.state === 'ALARM' && t.time >= from)?.time;

describe.each(SCHEDULES)('the alarms of a $expression schedule', ({ name, interval }) => {
  const alarms = () => alarmsOf[name] ?? expect.fail(`no alarms for ${name}`);
  const run = (
    alarm: AlarmDefinition,
    events: ReturnType<typeof scheduledSweeps>,
    to: number,
    deployed: { schedule: string; shape?: ScheduleShape } = { schedule: name },
  ) =>
    VARIANTS.map((variant) => {
      // API sweeps feed the target's metrics every 5 minutes: they must not hide the schedule.
      const api = scheduledSweeps({
        first: T0 - DAY,
        interval: 5 * MINUTE,
        count: (to - T0 + DAY) / 300,
      });
      const store = new MetricStore([
        ...sweepDatums(TARGET, deployed.schedule, events, deployed.shape),
        ...sweepDatums(TARGET, undefined, api),
      ]);
      // Deployed one interval before the first sweep.
      const from = T0 - interval;
      return { variant, transitions: simulate(alarm, store, { ...variant, from, to }), store };
    });
  /** What the muted schedule's composite notifies: its Failed alarm, suppressed by its Muted one. */
  const notified = (events: ReturnType<typeof scheduledSweeps>, to: number) => {
    const { mutedFailed, muted, suppression } = alarms();
    const deployed = { schedule: `${name}-muted`, shape: MUTED_SHAPE };
    const suppressor = run(muted, events, to, deployed);
    return run(mutedFailed, events, to, deployed).map(({ variant, transitions }, i) => ({
      variant,
      actions: compositeActions(transitions, suppressor[i]?.transitions ?? [], suppression),
    }));
  };
  const firstAction = (actions: Action[], state: 'ALARM' | 'OK') =>
    actions.find((a) => a.state === state)?.time;

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

  it('with alarmAfter 2 of 3: a lone failure never alarms, two of the last three sweeps that ran do, fewer clear it', () => {
    // Sweep 8 never runs (missing data): the last three sweeps at sweep 9 are 6, 7 and 9.
    const events = scheduledSweeps({
      first: T0,
      interval,
      count: 12,
      failed: (k) => k === 1 || k === 4 || k === 7 || k === 9,
    }).filter((_, k) => k !== 8);
    const at = (k: number) => T0 + k * interval;
    for (const { variant, transitions } of run(alarms().failedTwoOfThree, events, at(12), {
      schedule: `${name}-2of3`,
      shape: TWO_OF_THREE,
    })) {
      const label = JSON.stringify(variant);
      const alarmedAt = firstAlarm(transitions, T0) ?? Infinity;
      expect(alarmedAt, label).toBeGreaterThanOrEqual(at(9));
      expect(alarmedAt, label).toBeLessThanOrEqual(at(9) + 2 * MINUTE);
      // Sweep 10 is ok but 7 and 9 are still two of the last three; sweep 11 leaves one.
      const cleared = transitions.find((t) => t.state === 'OK' && t.time > alarmedAt)?.time;
      expect(cleared, label).toBeGreaterThanOrEqual(at(11));
      expect(cleared, label).toBeLessThanOrEqual(at(11) + 2 * MINUTE);
    }
  });

  it('takes no action on failing sweeps inside a mute window, and notifies the first failure after it', () => {
    // Sweeps 2 and 3 fail inside the window, sweep 5 fails after it.
    const events = scheduledSweeps({
      first: T0,
      interval,
      count: 7,
      failed: (k) => k === 2 || k === 3 || k === 5,
      muted: (k) => k === 2 || k === 3,
    });
    const failedAfter = events[5]?.time ?? Infinity;
    const { waitPeriod } = alarms().suppression;
    for (const { variant, actions } of notified(events, failedAfter + interval)) {
      const alarmedAt = firstAction(actions, 'ALARM') ?? Infinity;
      expect(alarmedAt, JSON.stringify(variant)).toBeGreaterThanOrEqual(failedAfter);
      expect(alarmedAt, JSON.stringify(variant)).toBeLessThanOrEqual(
        failedAfter + waitPeriod + 2 * MINUTE,
      );
    }
    // The Failed alarm itself says what happened in the window: its state is the truth.
    const inWindow = events[2]?.time ?? 0;
    for (const { variant, transitions } of run(alarms().mutedFailed, events, failedAfter, {
      schedule: `${name}-muted`,
      shape: MUTED_SHAPE,
    })) {
      expect(firstAlarm(transitions, inWindow), JSON.stringify(variant)).toBeLessThanOrEqual(
        inWindow + 2 * MINUTE,
      );
    }
  });

  it('notifies a failure that outlasts its mute window once the first sweep after the window fails too', () => {
    const events = scheduledSweeps({
      first: T0,
      interval,
      count: 6,
      failed: (k) => k >= 2 && k <= 4,
      muted: (k) => k === 2 || k === 3,
    });
    const after = events[4]?.time ?? Infinity;
    const { waitPeriod, extensionPeriod } = alarms().suppression;
    for (const { variant, actions } of notified(events, after + interval)) {
      const alarmedAt = firstAction(actions, 'ALARM') ?? Infinity;
      expect(alarmedAt, JSON.stringify(variant)).toBeGreaterThanOrEqual(after);
      expect(alarmedAt, JSON.stringify(variant)).toBeLessThanOrEqual(
        after + Math.max(waitPeriod, extensionPeriod) + 2 * MINUTE,
      );
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
