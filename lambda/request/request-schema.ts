import * as v from 'valibot';
import { AlarmAfterSchema } from '../ground/alarm-after.js';
import type { Config } from '../ground/config.js';
import { ExpectRulesSchema } from '../ground/expect-rules.js';
import { MuteWindowsSchema } from '../ground/mute.js';
import { mustBe } from '../ground/validation.js';
import { MIN_RATE_PER_SECOND } from '../sweep/data.js';
import { targetCheck, targetFields } from './target-fields.js';

/*
 * The request's fields, each with its range in the words a caller reads: "must be an integer from
 * 1 to 256, got 0". request.ts validates API bodies, queries and events against this schema.
 */

/** The documented field limits; MAX_IDS and MAX_CONCURRENCY come from config. */
export const RequestLimits = {
  defaultConcurrency: 32,
  timeoutMs: { min: 100, max: 30_000, default: 10_000 },
  retries: { min: 0, max: 5, default: 2 },
  /** A sanity cap: far above what one function's sockets can sustain. */
  maxRatePerSecond: 100_000,
  /** The engine's floor: one request per 100 s (a run checks each shard's share in plan.ts). */
  minRatePerSecond: MIN_RATE_PER_SECOND,
  /** Lambda's longest timeout: a larger budget could never be used. */
  timeBudgetMs: { min: 100, max: 900_000 },
  /** The confirmation pass: how many ids it may request, and the wait before it. */
  confirmMax: { min: 0, max: 10_000 },
  confirmDelayMs: { min: 0, max: 60_000 },
  /** Schedule names as EventBridge Scheduler allows them. */
  schedule: /^[0-9A-Za-z_.-]{1,64}$/,
} as const;

/** An integer field whose every failure reads "must be an integer from 1 to 256, got 0". */
function intField(min: number, max: number) {
  const message = mustBe(
    max === Number.MAX_SAFE_INTEGER
      ? `an integer of at least ${min}`
      : `an integer from ${min} to ${max}`,
  );
  return v.pipe(
    v.number(message),
    v.integer(message),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
}

const scheduleField = v.optional(
  v.pipe(
    v.string(mustBe('a schedule name')),
    v.regex(RequestLimits.schedule, mustBe('1-64 of A-Z a-z 0-9 _ . -')),
  ),
);

/** `compareWith`: one of the schedules deployed with the function (SCHEDULE_NAMES). */
function compareWithField(names: readonly string[]) {
  const expected =
    names.length === 0
      ? 'the name of a deployed schedule (none is deployed)'
      : `one of the deployed schedules (${names.join(', ')})`;
  return v.optional(v.picklist(names, mustBe(expected)));
}

/** The most ids one request may name, and the setting that says so. */
export interface IdLimit {
  readonly maxIds: number;
  readonly setting: 'MAX_IDS' | 'MAX_DISTRIBUTED_IDS';
}

/** Fields only a schedule's input (or a direct invoke) may carry: on the API they are unknown. */
const SCHEDULE_ONLY_FIELDS: ReadonlySet<string> = new Set(['schedule', 'mute', 'alarmAfter']);

/** Builds the request schema for the limits in config; `schedule` only for non-API events. */
export function requestSchema(config: Config, limit: IdLimit, allowSchedule: boolean) {
  const L = RequestLimits;
  // The target's own defaults, where the deployment gave it some (lambda/ground/targets.ts).
  const own = config.targetDefaults;
  const entries = {
    start: intField(0, Number.MAX_SAFE_INTEGER),
    end: intField(0, Number.MAX_SAFE_INTEGER),
    concurrency: v.optional(
      intField(1, config.maxConcurrency),
      Math.min(own?.concurrency ?? L.defaultConcurrency, config.maxConcurrency),
    ),
    timeoutMs: v.optional(
      intField(L.timeoutMs.min, L.timeoutMs.max),
      own?.timeoutMs ?? L.timeoutMs.default,
    ),
    retries: v.optional(intField(L.retries.min, L.retries.max), own?.retries ?? L.retries.default),
    ratePerSecond: v.optional(
      v.pipe(
        v.number(mustBe('a number of requests per second')),
        v.minValue(L.minRatePerSecond, mustBe(`at least ${L.minRatePerSecond} (one per 100 s)`)),
        v.maxValue(L.maxRatePerSecond, mustBe(`at most ${L.maxRatePerSecond}`)),
      ),
      own?.ratePerSecond,
    ),
    timeBudgetMs: v.optional(intField(L.timeBudgetMs.min, L.timeBudgetMs.max)),
    // Rules choose no URL: a caller's own expectations open no SSRF hole.
    expect: v.optional(ExpectRulesSchema),
    confirm: v.optional(v.boolean(mustBe('true or false'))),
    confirmMax: v.optional(intField(L.confirmMax.min, L.confirmMax.max)),
    confirmDelayMs: v.optional(intField(L.confirmDelayMs.min, L.confirmDelayMs.max)),
    // Only schedules name themselves: on the API, `schedule` is an unknown field.
    schedule: allowSchedule ? scheduleField : v.optional(v.undefined()),
    mute: allowSchedule ? v.optional(MuteWindowsSchema) : v.optional(v.undefined()),
    alarmAfter: allowSchedule ? v.optional(AlarmAfterSchema) : v.optional(v.undefined()),
    compareWith: compareWithField(config.scheduleNames),
    ...targetFields(config.targets.map((t) => t.name)),
  };
  const knownFields = new Set(
    Object.keys(entries).filter((k) => allowSchedule || !SCHEDULE_ONLY_FIELDS.has(k)),
  );
  const schema = v.pipe(
    v.object(entries, (i) => (i.path ? 'is required' : 'must be a JSON object')),
    v.forward(
      v.partialCheck(
        [['start'], ['end']],
        (r) => r.start <= r.end,
        (i) => {
          const r = i.input as { start: number; end: number };
          return `must be at least start (${r.start}), got ${r.end}`;
        },
      ),
      ['end'],
    ),
    v.forward(
      v.partialCheck(
        [['start'], ['end']],
        (r) => r.end - r.start + 1 <= limit.maxIds,
        `must leave at most ${limit.maxIds} ids from start to end (${limit.setting})`,
      ),
      ['end'],
    ),
    v.forward(
      v.partialCheck(
        [['schedule'], ['start'], ['end']],
        (r) => {
          const own = r.schedule === undefined ? undefined : config.scheduleRanges[r.schedule];
          return own === undefined || (own.start === r.start && own.end === r.end);
        },
        (i) => {
          const r = i.input as { schedule: string; start: number; end: number };
          const own = config.scheduleRanges[r.schedule];
          return `names schedule "${r.schedule}", which sweeps ${own?.start}-${own?.end}: a sweep of ${r.start}-${r.end} would replace its baseline and feed its alarms; sweep its range, or leave schedule out`;
        },
      ),
      ['schedule'],
    ),
    targetCheck(config),
    v.forward(
      v.partialCheck(
        [['schedule'], ['compareWith']],
        (r) => r.schedule === undefined || r.compareWith === undefined,
        'is for other sweeps: a schedule compares with its own baseline',
      ),
      ['compareWith'],
    ),
  );
  return { schema, knownFields };
}
