import * as v from 'valibot';
import type { AlarmAfter } from '../ground/alarm-after.js';
import type { Config } from '../ground/config.js';
import { InvalidRequestError } from '../ground/errors.js';
import type { ExpectRule } from '../ground/expect-rules.js';
import type { MuteWindow } from '../ground/mute.js';
import { type SweepRequest, Trigger } from '../ground/options.js';
import { describeProblems, type Problems, problemsOf } from '../ground/validation.js';
import { type IdLimit, requestSchema } from './request-schema.js';

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
    target?: string;
    compareTarget?: string;
    maxDifferences?: number;
    confirm?: boolean;
    confirmMax?: number;
    confirmDelayMs?: number;
    mute?: MuteWindow[];
    alarmAfter?: AlarmAfter;
  },
): SweepRequest {
  const {
    start,
    end,
    ratePerSecond,
    timeBudgetMs,
    schedule,
    compareWith,
    expect,
    target,
    compareTarget,
    maxDifferences,
    mute,
    alarmAfter,
    ...options
  } = fields;
  return {
    trigger,
    range: { start, end },
    ...options,
    ...(ratePerSecond !== undefined && { ratePerSecond }),
    ...(timeBudgetMs !== undefined && { timeBudgetMs }),
    ...(schedule !== undefined && { schedule }),
    ...(compareWith !== undefined && { compareWith }),
    ...(expect !== undefined && { expect }),
    ...(target !== undefined && { target }),
    ...(compareTarget !== undefined && { compareTarget }),
    ...(maxDifferences !== undefined && { maxDifferences }),
    ...(mute !== undefined && { mute }),
    ...(alarmAfter !== undefined && { alarmAfter }),
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
          : key === 'confirm' && (value === 'true' || value === 'false')
            ? value === 'true'
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
