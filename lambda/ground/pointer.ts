/*
 * JSON Pointers (RFC 6901), parsed once per rule and resolved against a parsed body in time
 * linear in the pointer: no regex, no recursion.
 * @see https://www.rfc-editor.org/rfc/rfc6901
 */

/** A parsed pointer: its reference tokens, `~1` and `~0` already unescaped. */
export type Pointer = readonly string[];

/** What a pointer resolves to: the value, or `missing` when some token names nothing. */
export const MISSING: unique symbol = Symbol('missing');

const ESCAPE = /~(?![01])/;
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** Parses `"/a/b~1c"`; throws a RangeError for a pointer RFC 6901 refuses. */
export function parsePointer(text: string): Pointer {
  if (text === '') return [];
  if (!text.startsWith('/')) throw new RangeError('a pointer starts with "/" (or is "")');
  if (ESCAPE.test(text)) throw new RangeError('"~" is written "~0" and "/" inside a name "~1"');
  return text
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** True when `text` is a pointer RFC 6901 accepts. */
export function isPointer(text: string): boolean {
  try {
    parsePointer(text);
    return true;
  } catch {
    return false;
  }
}

/** The value at `pointer` in `document` (own properties only), or MISSING. */
export function resolve(document: unknown, pointer: Pointer): unknown {
  let value: unknown = document;
  for (const token of pointer) {
    if (Array.isArray(value)) {
      if (!ARRAY_INDEX.test(token)) return MISSING;
      const index = Number(token);
      if (index >= value.length) return MISSING;
      value = value[index];
    } else if (typeof value === 'object' && value !== null && Object.hasOwn(value, token)) {
      value = (value as Record<string, unknown>)[token];
    } else {
      return MISSING;
    }
  }
  return value;
}
