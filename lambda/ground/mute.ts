import * as v from 'valibot';
import { mustBe } from './validation.js';

/*
 * Mute windows: recurring stretches of time in which a schedule's sweeps still run and are kept,
 * but tell nobody (their events say `muted`). A window starts at each time its cron expression
 * names, in its time zone, and lasts `minutes`.
 */

/** The longest window: a week, the longest cadence the alarms cover. */
export const MAX_MUTE_MINUTES = 10_080;
/** A schedule's windows at most; more would be one window mis-written. */
export const MAX_MUTE_WINDOWS = 10;

/** EventBridge's six cron fields, without L, W and # (a window that needs them: ask). */
const CRON = /^(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)$/;

export const MuteWindowSchema = v.strictObject({
  cron: v.pipe(
    v.string(mustBe('a cron expression')),
    v.check(
      (text) => parseCron(text) !== undefined,
      mustBe('six cron fields like "0 2 ? * SUN *"'),
    ),
  ),
  minutes: v.pipe(
    v.number(mustBe(`a number of minutes from 1 to ${MAX_MUTE_MINUTES}`)),
    v.integer(mustBe('a whole number of minutes')),
    v.minValue(1, mustBe(`a number of minutes from 1 to ${MAX_MUTE_MINUTES}`)),
    v.maxValue(MAX_MUTE_MINUTES, mustBe(`a number of minutes from 1 to ${MAX_MUTE_MINUTES}`)),
  ),
  timeZone: v.optional(
    v.pipe(
      v.string(),
      v.check((zone) => isTimeZone(zone), mustBe('an IANA time zone like "Europe/Paris"')),
    ),
  ),
});
export type MuteWindow = v.InferOutput<typeof MuteWindowSchema>;
export const MuteWindowsSchema = v.pipe(
  v.array(MuteWindowSchema, mustBe('a list of mute windows')),
  v.maxLength(MAX_MUTE_WINDOWS, mustBe(`at most ${MAX_MUTE_WINDOWS} mute windows`)),
);

/** True when `at` (epoch ms) falls inside one of the windows. */
export function isMuted(windows: readonly MuteWindow[] | undefined, at: number): boolean {
  return (windows ?? []).some((w) => inWindow(w, at));
}

function inWindow(window: MuteWindow, at: number): boolean {
  const cron = parseCron(window.cron);
  if (!cron) return false;
  const clock = wallClock(window.timeZone ?? 'UTC');
  const minute = Math.floor(at / 60_000) * 60_000;
  // A window that started within the last `minutes` minutes covers `at`.
  for (let back = 0; back < window.minutes; back++) {
    if (matches(cron, clock(minute - back * 60_000))) return true;
  }
  return false;
}

interface Cron {
  readonly minute: Field;
  readonly hour: Field;
  readonly dayOfMonth: Field | undefined;
  readonly month: Field;
  readonly dayOfWeek: Field | undefined;
  readonly year: Field;
}
type Field = (value: number) => boolean;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** EventBridge cron: minutes hours day-of-month month day-of-week year; one day field is "?". */
export function parseCron(text: string): Cron | undefined {
  const parts = CRON.exec(text.trim());
  if (!parts) return undefined;
  const [, mi = '', h = '', dom = '', mo = '', dow = '', y = ''] = parts;
  if ((dom === '?') === (dow === '?')) return undefined;
  const fields = {
    minute: field(mi, 0, 59),
    hour: field(h, 0, 23),
    dayOfMonth: dom === '?' ? undefined : field(dom, 1, 31),
    month: field(mo, 1, 12, MONTHS, 1),
    dayOfWeek: dow === '?' ? undefined : field(dow, 1, 7, DAYS, 1),
    year: field(y, 1970, 2199),
  };
  const { dayOfMonth, dayOfWeek, ...always } = fields;
  if (Object.values(always).includes(null) || dayOfMonth === null || dayOfWeek === null) {
    return undefined;
  }
  return fields as Cron;
}

/** One field: `*`, `n`, `a-b`, `*\/s`, `a-b/s`, `a/s` and names, comma-separated; null if bad. */
function field(
  text: string,
  min: number,
  max: number,
  names: readonly string[] = [],
  firstName = 0,
): Field | null {
  const value = (t: string): number => {
    const named = names.indexOf(t.toUpperCase());
    return named >= 0 ? named + firstName : /^\d+$/.test(t) ? Number(t) : Number.NaN;
  };
  const sets: Array<[number, number, number]> = [];
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [a = '', b] = range.split('-');
    const from = a === '*' ? min : value(a);
    const to = a === '*' ? max : b === undefined ? (stepText === undefined ? from : max) : value(b);
    const bad = [from, to, step].some((n) => !Number.isInteger(n));
    if (bad || step < 1 || from < min || to > max || from > to) return null;
    sets.push([from, to, step]);
  }
  return (n) => sets.some(([from, to, step]) => n >= from && n <= to && (n - from) % step === 0);
}

interface WallClock {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  /** 1 = Sunday, as EventBridge counts. */
  readonly weekday: number;
  readonly year: number;
}

function matches(cron: Cron, t: WallClock): boolean {
  return (
    cron.minute(t.minute) &&
    cron.hour(t.hour) &&
    cron.month(t.month) &&
    cron.year(t.year) &&
    (cron.dayOfMonth?.(t.day) ?? true) &&
    (cron.dayOfWeek?.(t.weekday) ?? true)
  );
}

/** The wall clock of an instant in `timeZone`. */
function wallClock(timeZone: string): (at: number) => WallClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  return (at) => {
    const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
    return {
      minute: Number(parts.minute),
      hour: Number(parts.hour),
      day: Number(parts.day),
      month: Number(parts.month),
      weekday: DAYS.indexOf(String(parts.weekday).toUpperCase()) + 1,
      year: Number(parts.year),
    };
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
