import * as v from 'valibot';
import type { Config } from './config.js';
import { InvalidRequestError } from './errors.js';

/** How a sweep was asked for; reported in the response and the summary log line. */
export const Trigger = {
  /** API Gateway HTTP API (payload 2.0): POST or GET /sweeps. */
  api: 'api',
  /** EventBridge Scheduler: the schedule's input JSON, which names the schedule. */
  schedule: 'schedule',
  /** A direct invocation (`aws lambda invoke`) with the same JSON. */
  invoke: 'invoke',
} as const;
export type Trigger = (typeof Trigger)[keyof typeof Trigger];

/** One validated request, whatever the event it came from. */
export interface SweepRequest {
  readonly trigger: Trigger;
  readonly start: number;
  readonly end: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly ratePerSecond?: number;
  readonly timeBudgetMs?: number;
  readonly schedule?: string;
}

/** The documented field limits; MAX_IDS and MAX_CONCURRENCY come from config. */
export const RequestLimits = {
  defaultConcurrency: 32,
  timeoutMs: { min: 100, max: 30_000, default: 10_000 },
  retries: { min: 0, max: 5, default: 2 },
  /** A sanity cap: far above what one function's sockets can sustain. */
  maxRatePerSecond: 100_000,
  /** Lambda's longest timeout: a larger budget could never be used. */
  timeBudgetMs: { min: 100, max: 900_000 },
  /** Schedule names as EventBridge Scheduler allows them. */
  schedule: /^[0-9A-Za-z_.-]{1,64}$/,
} as const;

const got = (issue: v.BaseIssue<unknown>): string =>
  issue.input === undefined ? 'is required' : `got ${JSON.stringify(issue.input) ?? 'nothing'}`;

/** An integer field whose every failure reads "must be an integer from 1 to 256, got 0". */
function intField(min: number, max: number) {
  const expected =
    max === Number.MAX_SAFE_INTEGER
      ? `must be an integer of at least ${min}`
      : `must be an integer from ${min} to ${max}`;
  const message = (issue: v.BaseIssue<unknown>) =>
    issue.input === undefined ? 'is required' : `${expected}, ${got(issue)}`;
  return v.pipe(
    v.number(message),
    v.integer(message),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
}

const scheduleField = v.optional(
  v.pipe(
    v.string((i) => `must be a schedule name, ${got(i)}`),
    v.regex(RequestLimits.schedule, (i) => `must be 1-64 of A-Z a-z 0-9 _ . -, ${got(i)}`),
  ),
);

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
        v.number((i) => `must be a number of requests per second, ${got(i)}`),
        v.gtValue(0, (i) => `must be more than 0, ${got(i)}`),
        v.maxValue(L.maxRatePerSecond, (i) => `must be at most ${L.maxRatePerSecond}, ${got(i)}`),
      ),
    ),
    timeBudgetMs: v.optional(intField(L.timeBudgetMs.min, L.timeBudgetMs.max)),
    // Only schedules name themselves: on the API, `schedule` is an unknown field.
    schedule: allowSchedule ? scheduleField : v.optional(v.undefined()),
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
      return { trigger: Trigger.api, ...validate(apiSchema, value) };
    },
    fromEvent(event) {
      const fields = validate(eventSchema, event);
      const trigger = fields.schedule === undefined ? Trigger.invoke : Trigger.schedule;
      return { trigger, ...fields };
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
  const details: Record<string, string[]> = {};
  // Own keys, including "__proto__" and "constructor" that a schema library skips.
  for (const key of Object.keys(input)) {
    if (!knownFields.has(key)) details[key] = ['is not a known field'];
  }
  const result = v.safeParse(schema, input);
  if (!result.success) {
    for (const [field, messages] of Object.entries(v.flatten(result.issues).nested ?? {})) {
      if (messages && !details[field]) details[field] = messages;
    }
  }
  const fields = Object.keys(details);
  if (fields.length === 0 && result.success) return result.output;
  const summary = fields.map((f) => `${f} ${details[f]?.join(', ')}`).join('; ');
  throw new InvalidRequestError(`invalid request: ${summary}`, details);
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Query parameters arrive as strings (repeated ones joined with commas by API Gateway): numeric
 * ones become numbers, anything else stays a string for the schema to reject by name.
 */
function queryToFields(query: unknown): unknown {
  if (query === undefined || query === null) return {};
  if (typeof query !== 'object') return query;
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [
      key,
      typeof value === 'string' && NUMBER.test(value) ? Number(value) : value,
    ]),
  );
}
