import * as v from 'valibot';
import type { Config } from './config.js';
import { InvalidRequestError } from './errors.js';
import { type SweepRequest, Trigger } from './options.js';
import { MIN_RATE_PER_SECOND } from './sweep/index.js';
import { describeProblems, mustBe, type Problems, problemsOf } from './validation.js';
import { type ExpectRule, ExpectRulesSchema } from './verdict/expectations.js';

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
interface IdLimit {
  readonly maxIds: number;
  readonly setting: 'MAX_IDS' | 'MAX_DISTRIBUTED_IDS';
}

/** Builds the request schema for the limits in config; `schedule` only for non-API events. */
function requestSchema(config: Config, limit: IdLimit, allowSchedule: boolean) {
  const L = RequestLimits;
  const entries = {
    start: intField(0, Number.MAX_SAFE_INTEGER),
    end: intField(0, Number.MAX_SAFE_INTEGER),
    concurrency: v.optional(
      intField(1, config.maxConcurrency),
      Math.min(L.defaultConcurrency, config.maxConcurrency),
    ),
    timeoutMs: v.optional(intField(L.timeoutMs.min, L.timeoutMs.max), L.timeoutMs.default),
    retries: v.optional(intField(L.retries.min, L.retries.max), L.retries.default),
    ratePerSecond: v.optional(
      v.pipe(
        v.number(mustBe('a number of requests per second')),
        v.minValue(L.minRatePerSecond, mustBe(`at least ${L.minRatePerSecond} (one per 100 s)`)),
        v.maxValue(L.maxRatePerSecond, mustBe(`at most ${L.maxRatePerSecond}`)),
      ),
    ),
    timeBudgetMs: v.optional(intField(L.timeBudgetMs.min, L.timeBudgetMs.max)),
    // Rules choose no URL: a caller's own expectations open no SSRF hole.
    expect: v.optional(ExpectRulesSchema),
    // Only schedules name themselves: on the API, `schedule` is an unknown field.
    schedule: allowSchedule ? scheduleField : v.optional(v.undefined()),
    compareWith: compareWithField(config.scheduleNames),
  };
  const knownFields = new Set(
    Object.keys(entries).filter((k) => allowSchedule || k !== 'schedule'),
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
        [['schedule'], ['compareWith']],
        (r) => r.schedule === undefined || r.compareWith === undefined,
        'is for other sweeps: a schedule compares with its own baseline',
      ),
      ['compareWith'],
    ),
  );
  return { schema, knownFields };
}

/** Parses requests against the limits in config. Built once at cold start. */
export interface RequestParser {
  /** A POST body (already JSON-parsed) or GET query parameters (strings). */
  fromApi(input: unknown, source: 'body' | 'query'): SweepRequest;
  /** A schedule's input or a direct invocation's payload. */
  fromEvent(event: unknown): SweepRequest;
}

/**
 * Ranges up to MAX_IDS are swept in one invocation; with `distributed` (by default, when a state
 * machine is configured) ranges up to MAX_DISTRIBUTED_IDS are accepted and sharded.
 */
export function requestParser(
  config: Config,
  { distributed = config.stateMachineArn !== undefined }: { readonly distributed?: boolean } = {},
): RequestParser {
  const limit: IdLimit = distributed
    ? { maxIds: config.maxDistributedIds, setting: 'MAX_DISTRIBUTED_IDS' }
    : { maxIds: config.maxIds, setting: 'MAX_IDS' };
  const apiSchema = requestSchema(config, limit, false);
  const eventSchema = requestSchema(config, limit, true);
  return {
    fromApi(input, source) {
      const value = source === 'query' ? queryToFields(input) : input;
      return toRequest(Trigger.api, validate(apiSchema, value));
    },
    fromEvent(event) {
      const fields = validate(eventSchema, event);
      return toRequest(fields.schedule === undefined ? Trigger.invoke : Trigger.schedule, fields);
    },
  };
}

/** Validates a request; throws InvalidRequestError listing every bad or unknown field by name. */
function validate<S extends v.GenericSchema>(
  { schema, knownFields }: { schema: S; knownFields: ReadonlySet<string> },
  input: unknown,
): v.InferOutput<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const kind = Array.isArray(input) ? 'an array' : (JSON.stringify(input) ?? 'nothing');
    throw new InvalidRequestError(
      `invalid request: the request must be a JSON object, got ${kind}`,
    );
  }
  // No prototype: `details["__proto__"] = …` must add the field, not replace the prototype.
  const details: Problems = Object.create(null);
  // Own keys, including "__proto__" and "constructor" that a schema library skips.
  for (const key of Object.keys(input)) {
    if (!knownFields.has(key)) details[key] = ['is not a known field'];
  }
  const result = v.safeParse(schema, input);
  if (!result.success) problemsOf(result.issues, details);
  if (Object.keys(details).length === 0 && result.success) return result.output;
  throw new InvalidRequestError(`invalid request: ${describeProblems(details)}`, details);
}

/** The request in the words of the layers below: a range, and the options without holes. */
function toRequest(
  trigger: Trigger,
  fields: {
    start: number;
    end: number;
    concurrency: number;
    timeoutMs: number;
    retries: number;
    ratePerSecond?: number;
    timeBudgetMs?: number;
    schedule?: string;
    compareWith?: string;
    expect?: ExpectRule[];
  },
): SweepRequest {
  const { start, end, ratePerSecond, timeBudgetMs, schedule, compareWith, expect, ...options } =
    fields;
  return {
    trigger,
    range: { start, end },
    ...options,
    ...(ratePerSecond !== undefined && { ratePerSecond }),
    ...(timeBudgetMs !== undefined && { timeBudgetMs }),
    ...(schedule !== undefined && { schedule }),
    ...(compareWith !== undefined && { compareWith }),
    ...(expect !== undefined && { expect }),
  };
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Query parameters arrive as strings (repeated ones joined with commas by API Gateway): numeric
 * ones become numbers, `expect` is read as JSON when it parses, anything else stays a string for
 * the schema to reject by name. A number too large for a double (`1e400`) stays the text the
 * caller wrote, not Infinity (JSON's null).
 */
function queryToFields(query: unknown): unknown {
  if (query === undefined || query === null) return {};
  if (typeof query !== 'object') return query;
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [
      key,
      typeof value !== 'string'
        ? value
        : key === 'expect'
          ? jsonOrText(value)
          : NUMBER.test(value) && Number.isFinite(Number(value))
            ? Number(value)
            : value,
    ]),
  );
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
