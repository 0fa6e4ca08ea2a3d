import * as v from 'valibot';
import { mustBe } from './validation.js';

/*
 * How many of a schedule's recent sweeps must fail before its Failed alarm fires: `{"sweeps": 2,
 * "of": 3}` alarms when at least 2 of its last 3 sweeps had the verdict "failed". CloudWatch looks
 * back at most 7 days, so "2 of 3 weekly sweeps" cannot be one plain alarm: each sweep counts the
 * failures among the schedule's last `of` sweeps itself (kept beside its baseline) and publishes
 * that count, which the alarm compares with `sweeps`; that holds at every cadence.
 */

/** The longest memory a schedule may ask for; more would be a different kind of alarm. */
export const MAX_ALARM_AFTER_OF = 10;

/** The default: every failed sweep alarms (1 of 1). */
export const ALARM_AFTER_EVERY_FAILURE = { sweeps: 1, of: 1 } as const;

/** A count from 1 to MAX_ALARM_AFTER_OF, every failure saying so in the same words. */
const count = (what: string) => {
  const message = mustBe(`a whole number of ${what} from 1 to ${MAX_ALARM_AFTER_OF}`);
  return v.pipe(
    v.number(message),
    v.integer(message),
    v.minValue(1, message),
    v.maxValue(MAX_ALARM_AFTER_OF, message),
  );
};

export const AlarmAfterSchema = v.pipe(
  v.strictObject({ sweeps: count('failed sweeps'), of: count('recent sweeps') }),
  v.check(
    (a) => a.sweeps <= a.of,
    (issue) =>
      `must name at most as many failed sweeps as recent ones ("sweeps" ≤ "of"), got ${JSON.stringify(issue.input)}`,
  ),
);
export type AlarmAfter = v.InferOutput<typeof AlarmAfterSchema>;
