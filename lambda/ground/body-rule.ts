import * as v from 'valibot';
import { isPointer } from './pointer.js';
import { mustBe } from './validation.js';

/*
 * What a rule may ask of a body: values at JSON Pointers, and plain substrings. Rules can come
 * from callers, so every part is bounded: no regex, a capped body, capped pointers and needles.
 */

/** The id the request named: the body's value equals it as a number or as a string. */
export const ID_VALUE = '{id}';

export const JSON_TYPES = ['string', 'number', 'boolean', 'null', 'object', 'array'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** A literal (or "{id}") the value must equal, that it exists (or not), or its JSON type. */
export type JsonExpectation =
  | string
  | number
  | boolean
  | null
  | { readonly exists: boolean }
  | { readonly type: JsonType };

/** A rule's `body`: `{"json": {"/id": "{id}"}, "contains": "\"species\""}`. */
export interface BodyRule {
  /** JSON Pointer (RFC 6901) → what its value must be. */
  readonly json?: Readonly<Record<string, JsonExpectation>>;
  /** The raw body must contain this text. */
  readonly contains?: string;
  /** The raw body must not contain this text. */
  readonly notContains?: string;
  /** A longer body is a mismatch. @default 262144 (256 KiB) */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 262_144;
/** What a checked body may be at most, whoever writes the rule: it is held in memory once. */
export const MAX_BODY_BYTES = 1_048_576;
/** Pointers per rule: a few fields identify a record. */
export const MAX_POINTERS = 16;
/** Characters of a pointer, a literal, or a contains/notContains text. */
export const MAX_TEXT_CHARS = 256;

const text = (what: string) =>
  v.pipe(
    v.string(mustBe(what)),
    v.minLength(1, mustBe(`${what}, not empty`)),
    v.maxLength(MAX_TEXT_CHARS, mustBe(`at most ${MAX_TEXT_CHARS} characters`)),
  );

const expectation = v.union(
  [
    v.pipe(v.string(), v.maxLength(MAX_TEXT_CHARS)),
    v.pipe(v.number(), v.finite()),
    v.boolean(),
    v.null(),
    v.strictObject({ exists: v.boolean() }),
    v.strictObject({ type: v.picklist(JSON_TYPES) }),
  ],
  mustBe(
    `"{id}", a literal (text of at most ${MAX_TEXT_CHARS} characters, number, true, false, null), {"exists": true|false} or {"type": "${JSON_TYPES.join('"|"')}"}`,
  ),
);

const bodyMessage = (issue: v.BaseIssue<unknown>): string =>
  issue.expected === 'never'
    ? 'is not a known field'
    : mustBe('{"json"?: {"/pointer": …}, "contains"?, "notContains"?, "maxBodyBytes"?}')(issue);

export const BodyRuleSchema = v.pipe(
  v.strictObject(
    {
      json: v.optional(
        v.pipe(
          v.record(
            v.pipe(
              v.string(),
              v.maxLength(
                MAX_TEXT_CHARS,
                mustBe(`a pointer of at most ${MAX_TEXT_CHARS} characters`),
              ),
              v.check(isPointer, mustBe('a JSON Pointer (RFC 6901) like "/id" or "/types/0/name"')),
            ),
            expectation,
            mustBe('an object of JSON Pointer → expected value'),
          ),
          v.check(
            (json) => Object.keys(json).length <= MAX_POINTERS,
            mustBe(`at most ${MAX_POINTERS} pointers`),
          ),
        ),
      ),
      contains: v.optional(text('text to find in the body')),
      notContains: v.optional(text('text the body must not hold')),
      maxBodyBytes: v.optional(
        v.pipe(
          v.number(mustBe(`an integer from 1 to ${MAX_BODY_BYTES}`)),
          v.integer(mustBe(`an integer from 1 to ${MAX_BODY_BYTES}`)),
          v.minValue(1, mustBe(`an integer from 1 to ${MAX_BODY_BYTES}`)),
          v.maxValue(MAX_BODY_BYTES, mustBe(`an integer from 1 to ${MAX_BODY_BYTES} (1 MiB)`)),
        ),
      ),
    },
    bodyMessage,
  ),
  v.check(
    (body) =>
      body.json !== undefined || body.contains !== undefined || body.notContains !== undefined,
    mustBe('at least one of "json", "contains" or "notContains"'),
  ),
);
