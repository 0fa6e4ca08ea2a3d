import * as v from 'valibot';
import { parseSpans, type Span } from '../sweep/data.js';
import { type BodyRule, BodyRuleSchema } from './body-rule.js';
import { mustBe } from './validation.js';

/*
 * Which outcome each id should have: a list of rules, the first rule whose `ids` cover an id
 * deciding it. Set at deploy time (EXPECT), per schedule, or per request (`expect`): a rule chooses
 * no URL, so a caller's rules open no SSRF hole.
 */

/** One rule as written: `{"ids": "1026-", "statuses": [404]}`. */
export interface ExpectRule {
  /** Ids in compact form with an optional open end: "1-1025", "1-97,99", "1026-". @default - every id */
  readonly ids?: string;
  /** Status codes (404, or "404") and classes ("2xx") that meet the expectation. */
  readonly statuses: readonly (number | string)[];
  /** What the body of an id whose status the rule accepts must hold (verdict/body-rule.ts). */
  readonly body?: BodyRule;
  /** An id whose status the rule accepts but answered slower than this is `slow`. */
  readonly maxLatencyMs?: number;
}

/** A bound a sweep could use at all: attempts time out at 30 s (MAX timeoutMs). */
export const MAX_LATENCY_BOUND_MS = 30_000;

export const DEFAULT_STATUSES = ['2xx', '3xx'] as const;
/** Without rules, an id meets its expectation with a final 2xx or 3xx, as uptime checkers judge. */
export const DEFAULT_EXPECT: readonly ExpectRule[] = [{ statuses: DEFAULT_STATUSES }];

/** Where an open end ("1026-") stops: no request names a larger id. */
export const LAST_ID = Number.MAX_SAFE_INTEGER;

/** A sanity cap on rules (a request's, a schedule's or EXPECT): a few are all a range needs. */
export const MAX_EXPECT_RULES = 100;
/** A sanity cap on the statuses of one rule. */
export const MAX_STATUSES_PER_RULE = 100;

const STATUS_TEXT = /^[1-5](?:\d\d|xx)$/;
const OPEN_END = /(?:^|,)(\d+)-$/;

/** True for 100..599 (a number, or its text) and the classes "1xx".."5xx". */
function isStatusSpec(value: unknown): value is number | string {
  if (typeof value === 'string') return STATUS_TEXT.test(value);
  return Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;
}

/**
 * The spans of an `ids` field, ascending; an open end ("1026-", last part only) runs to LAST_ID.
 * Throws a RangeError quoting the bad part.
 */
export function parseIds(text: string): Span[] {
  const open = OPEN_END.exec(text);
  const closedPart = open ? text.slice(0, open.index) : text;
  if (closedPart === '' && !open) throw new RangeError('no ids in ""');
  const spans = parseSpans(closedPart);
  if (!open) return spans;
  const first = Number(open[1]);
  const last = spans.at(-1);
  if (!Number.isSafeInteger(first) || (last !== undefined && first <= last[1])) {
    throw new RangeError(`not an ascending open end: "${first}-" in "${text}"`);
  }
  if (last !== undefined && first === last[1] + 1) spans[spans.length - 1] = [last[0], LAST_ID];
  else spans.push([first, LAST_ID]);
  return spans;
}

function isIds(text: string): boolean {
  try {
    parseIds(text);
    return true;
  } catch {
    return false;
  }
}

const ruleMessage = (issue: v.BaseIssue<unknown>): string =>
  issue.expected === 'never'
    ? 'is not a known field'
    : mustBe('a rule {"ids"?: "1-1025", "statuses": ["2xx", 404], "body"?, "maxLatencyMs"?}')(
        issue,
      );

const RuleSchema = v.strictObject(
  {
    ids: v.optional(
      v.pipe(
        v.string(mustBe('ids in compact form')),
        v.check(isIds, mustBe('ascending ids in compact form: "1-1025", "1-97,99" or "1026-"')),
      ),
    ),
    statuses: v.pipe(
      v.array(
        v.custom<number | string>(isStatusSpec, mustBe('a status from 100 to 599 or "1xx"…"5xx"')),
        mustBe('a list of statuses'),
      ),
      v.minLength(1, mustBe('at least one status')),
      v.maxLength(MAX_STATUSES_PER_RULE, mustBe(`at most ${MAX_STATUSES_PER_RULE} statuses`)),
    ),
    body: v.optional(BodyRuleSchema),
    maxLatencyMs: v.optional(
      v.pipe(
        v.number(mustBe(`an integer from 1 to ${MAX_LATENCY_BOUND_MS}`)),
        v.integer(mustBe(`an integer from 1 to ${MAX_LATENCY_BOUND_MS}`)),
        v.minValue(1, mustBe(`an integer from 1 to ${MAX_LATENCY_BOUND_MS}`)),
        v.maxValue(MAX_LATENCY_BOUND_MS, mustBe(`an integer from 1 to ${MAX_LATENCY_BOUND_MS}`)),
      ),
    ),
  },
  ruleMessage,
);

/** The rules schema, for requests, schedules and EXPECT alike: each problem named by its path. */
export const ExpectRulesSchema = v.pipe(
  v.array(RuleSchema, mustBe('a list of rules')),
  v.minLength(1, mustBe('at least one rule (leave it out for the default)')),
  v.maxLength(MAX_EXPECT_RULES, mustBe(`at most ${MAX_EXPECT_RULES} rules`)),
);
