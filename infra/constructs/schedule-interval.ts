import { Duration } from 'aws-cdk-lib';

const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const CRON = /^cron\((.+)\)$/;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** Scheduler's day-of-week field: 1-7 or SUN-SAT, Sunday first. */
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/**
 * A clock change can stretch the gap between two cron firings by an hour in a time zone with
 * daylight saving time; rate() schedules run on elapsed time and are not affected.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time
 */
const DAYLIGHT_SAVING_SHIFT = Duration.hours(1);
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

/**
 * The longest gap between two firings of an EventBridge Scheduler `rate(...)` or `cron(...)`
 * expression, conservatively (a clock change included); `undefined` when it can exceed a week or
 * cannot be bounded (a day-of-month, month or year restriction; `L`, `W` or `#`), since no alarm
 * can watch a gap that long.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function longestGap(expression: string, timeZone?: string): Duration | undefined {
  const rate = RATE.exec(expression);
  if (rate !== null) return rateInterval(Number(rate[1]), rate[2] ?? '');
  const cron = CRON.exec(expression);
  if (cron === null) throw new Error(`not a rate() or cron() expression: ${expression}`);
  const minutes = cronGapMinutes(cron[1] ?? '', expression);
  if (minutes === undefined) return undefined;
  const utc = timeZone === undefined || UTC_ZONES.has(timeZone);
  return Duration.minutes(minutes + (utc ? 0 : DAYLIGHT_SAVING_SHIFT.toMinutes()));
}

function rateInterval(amount: number, unit: string): Duration {
  if (unit.startsWith('minute')) return Duration.minutes(amount);
  if (unit.startsWith('hour')) return Duration.hours(amount);
  return Duration.days(amount);
}

/** Minutes between the two most distant consecutive firings within a week, or undefined. */
function cronGapMinutes(body: string, expression: string): number | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`a cron() expression has 6 fields, got ${fields.length}: ${expression}`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const any = (field: string): boolean => field === '*' || field === '?';
  if (!any(dayOfMonth) || !any(month) || !any(year)) return undefined;
  const minutes = expand(minute, 0, 59);
  const hours = expand(hour, 0, 23);
  const days = any(dayOfWeek) ? [1, 2, 3, 4, 5, 6, 7] : expand(dayOfWeek, 1, 7, WEEKDAYS);
  if (minutes === undefined || hours === undefined || days === undefined) return undefined;
  const firings = days
    .flatMap((day) =>
      hours.flatMap((h) => minutes.map((m) => (day - 1) * MINUTES_PER_DAY + h * 60 + m)),
    )
    .sort((a, b) => a - b);
  const first = firings[0];
  if (first === undefined) return undefined;
  let longest = first + MINUTES_PER_WEEK - (firings.at(-1) ?? first);
  for (let i = 1; i < firings.length; i++) {
    longest = Math.max(longest, (firings[i] ?? 0) - (firings[i - 1] ?? 0));
  }
  return longest;
}

/**
 * The values of one cron field (`*`, `5`, `1-5`, `0/15`, `*\/10`, `MON-FRI`, lists of these), or
 * undefined for what this reading does not bound (`L`, `W`, `#`).
 */
function expand(field: string, min: number, max: number, names?: string[]): number[] | undefined {
  const value = (text: string): number => {
    const named = names?.indexOf(text.toUpperCase()) ?? -1;
    const n = named >= 0 ? named + min : Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`cron field value ${JSON.stringify(text)} is not in ${min}-${max}`);
    }
    return n;
  };
  const withoutNames = names === undefined ? field : field.replace(/[A-Z]{3}/gi, '');
  if (/[LW#]/i.test(withoutNames)) return undefined;
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad cron step in ${field}`);
    const [from, to] =
      range === '*'
        ? [min, max]
        : range.includes('-')
          ? (range.split('-').map(value) as [number, number])
          : [value(range), stepText === undefined ? value(range) : max];
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return [...out];
}
