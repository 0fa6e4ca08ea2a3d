import {
  type BodyRule,
  DEFAULT_MAX_BODY_BYTES,
  ID_VALUE,
  type JsonExpectation,
  type JsonType,
} from '../ground/body-rule.js';
import { MISSING, type Pointer, parsePointer } from '../ground/pointer.js';
import type { BodyCheck } from '../sweep/data.js';
import { pick, pointerTrie } from './json-scan.js';

/*
 * A rule's body check compiled once: substrings searched in the raw bytes (Buffer#indexOf, no
 * regex), the body read once as JSON only when a pointer needs it, and only as far as the
 * pointers need (json-scan.ts). What fails is said in a few words, never with the body itself.
 */

/** Characters of a body value quoted in a sample. */
const MAX_QUOTED_CHARS = 40;

interface PointerCheck {
  readonly text: string;
  readonly pointer: Pointer;
  readonly expected: JsonExpectation;
}

/** The engine's BodyCheck for a rule's `body`. */
export function compileBody(rule: BodyRule): BodyCheck {
  const contains = rule.contains === undefined ? undefined : Buffer.from(rule.contains);
  const notContains = rule.notContains === undefined ? undefined : Buffer.from(rule.notContains);
  const pointers: PointerCheck[] = Object.entries(rule.json ?? {}).map(([text, expected]) => ({
    text,
    pointer: parsePointer(text),
    expected,
  }));
  const trie = pointerTrie(pointers.map((check) => check.pointer));
  return {
    maxBodyBytes: rule.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    inspect(body, id) {
      if (contains && body.indexOf(contains) === -1) return `body lacks ${quote(rule.contains)}`;
      if (notContains && body.indexOf(notContains) !== -1) {
        return `body contains ${quote(rule.notContains)}`;
      }
      if (pointers.length === 0) return undefined;
      let values: unknown[];
      try {
        values = pick(body.toString('utf8'), trie, pointers.length);
      } catch {
        return 'body is not JSON';
      }
      for (const [i, check] of pointers.entries()) {
        const problem = checkValue(values[i], check.expected, id);
        if (problem !== undefined) return `${check.text || '(the body)'} ${problem}`;
      }
      return undefined;
    },
  };
}

/** What is wrong with `value`, as the end of `/id is 26, expected 25`; undefined when right. */
function checkValue(value: unknown, expected: JsonExpectation, id: number): string | undefined {
  if (expected !== null && typeof expected === 'object') {
    if ('exists' in expected) {
      if ((value !== MISSING) === expected.exists) return undefined;
      return expected.exists ? 'is missing' : `exists (${describe(value)})`;
    }
    if (value === MISSING) return `is missing, expected ${article(expected.type)}`;
    const type = typeOf(value);
    return type === expected.type
      ? undefined
      : `is ${article(type)}, expected ${article(expected.type)}`;
  }
  if (expected === ID_VALUE) {
    if (value === id || value === String(id)) return undefined;
    return value === MISSING
      ? `is missing, expected ${id}`
      : `is ${describe(value)}, expected ${id}`;
  }
  if (value === expected) return undefined;
  const want = JSON.stringify(expected);
  return value === MISSING
    ? `is missing, expected ${want}`
    : `is ${describe(value)}, expected ${want}`;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** A value in a few characters: scalars as JSON (cut), containers by their type. */
function describe(value: unknown): string {
  const type = typeOf(value);
  if (type === 'object' || type === 'array') return article(type);
  return quote(JSON.stringify(value), false);
}

function article(type: JsonType): string {
  return type === 'null' ? 'null' : `${type === 'object' || type === 'array' ? 'an' : 'a'} ${type}`;
}

function quote(text = '', asJson = true): string {
  const cut = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS - 1)}…` : text;
  return asJson ? JSON.stringify(cut) : cut;
}
