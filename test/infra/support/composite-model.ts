/**
 * A model of a composite alarm over one alarm, `ALARM(child)`, with an actions suppressor, as
 * "Suppressing composite alarm actions" and PutCompositeAlarm document it: the composite follows
 * its child; its actions are suppressed while the suppressor is in ALARM and for
 * ActionsSuppressorExtensionPeriod after it leaves ALARM; when it goes into ALARM it waits up to
 * ActionsSuppressorWaitPeriod for the suppressor to go into ALARM; after either time it performs
 * its actions (for the state it is in, when that is not the state it last acted on). Times in
 * seconds.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
import type { AlarmState, Transition } from './alarm-model.js';

export interface Suppression {
  readonly waitPeriod: number;
  readonly extensionPeriod: number;
}

/** One notification the composite sends: its state then. */
export interface Action {
  readonly time: number;
  readonly state: AlarmState;
}

/** The state a transition list says at `time` (before its first transition: `initial`). */
function stateAt(
  transitions: readonly Transition[],
  time: number,
  initial: AlarmState,
): AlarmState {
  let state = initial;
  for (const t of transitions) {
    if (t.time > time) break;
    state = t.state;
  }
  return state;
}

/** [from, to) stretches in which actions are suppressed: suppressor ALARM, then the extension. */
function suppressedStretches(
  suppressor: readonly Transition[],
  s: Suppression,
): Array<[number, number]> {
  const stretches: Array<[number, number]> = [];
  suppressor.forEach((t, i) => {
    if (t.state !== 'ALARM') return;
    const left = suppressor.slice(i + 1).find((next) => next.state !== 'ALARM')?.time ?? Infinity;
    stretches.push([t.time, left + s.extensionPeriod]);
  });
  return stretches;
}

/**
 * The actions a composite `ALARM(child)` with this suppressor performs: on each change of its
 * state (an ALARM after the wait period), and when a suppression ends, unless suppressed then.
 */
export function compositeActions(
  child: readonly Transition[],
  suppressor: readonly Transition[],
  suppression: Suppression,
): Action[] {
  const composite = (time: number): AlarmState =>
    stateAt(child, time, 'INSUFFICIENT_DATA') === 'ALARM' ? 'ALARM' : 'OK';
  const stretches = suppressedStretches(suppressor, suppression);
  const suppressed = (time: number) => stretches.some(([from, to]) => time >= from && time < to);
  const checks = [
    ...child.map((t) => (t.state === 'ALARM' ? t.time + suppression.waitPeriod : t.time)),
    ...stretches.map(([, to]) => to).filter(Number.isFinite),
  ].sort((a, b) => a - b);
  const actions: Action[] = [];
  let acted: AlarmState = 'OK';
  for (const time of checks) {
    const state = composite(time);
    if (suppressed(time) || state === acted) continue;
    actions.push({ time, state });
    acted = state;
  }
  return actions;
}
