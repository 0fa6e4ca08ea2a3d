const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DASH = 45;
const COMMA = 44;

/**
 * Reads the compact form ("1-97,99") one span at a time, from the text itself: no split, no
 * regular expression, no list of spans held, so a 1,000,000-span form costs one pass and no
 * garbage. Spans must ascend without overlapping, as parseSpans() requires; adjacent ones are
 * not joined (the callers split stretches anyway).
 */
export class SpanCursor {
  /** The current span, after next() returned true. */
  first = 0;
  last = -1;
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** Moves to the next span; false at the end. Throws a RangeError quoting a bad part. */
  next(): boolean {
    const text = this.#text;
    const start = this.#pos;
    if (start >= text.length) return false;
    let pos = start;
    let first = 0;
    while (pos < text.length && isDigit(text.charCodeAt(pos))) {
      first = first * 10 + text.charCodeAt(pos++) - DIGIT_0;
    }
    let last = first;
    let valid = pos > start;
    if (valid && text.charCodeAt(pos) === DASH) {
      const from = ++pos;
      last = 0;
      while (pos < text.length && isDigit(text.charCodeAt(pos))) {
        last = last * 10 + text.charCodeAt(pos++) - DIGIT_0;
      }
      valid = pos > from;
    }
    if (pos < text.length) valid &&= text.charCodeAt(pos++) === COMMA && pos < text.length;
    valid &&= Number.isSafeInteger(last) && last >= first && first > this.last;
    if (!valid) {
      const end = text.indexOf(',', start + 1);
      const part = text.slice(start, end < 0 ? undefined : end);
      throw new RangeError(`not an id or an ascending range: "${part.slice(0, 40)}"`);
    }
    this.#pos = pos;
    this.first = first;
    this.last = last;
    return true;
  }
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

interface KeyCursor {
  readonly key: string;
  readonly cursor: SpanCursor;
  live: boolean;
}

/**
 * Walks several compact forms (a sweep's `ids`, one per outcome key) as one sequence of spans in
 * id order: a merge of ascending lists, linear in their spans for the handful of keys there are.
 */
export class KeyedSpanWalk {
  /** The current span and the key it belongs to, after next() returned true. */
  first = 0;
  last = -1;
  key = '';
  readonly #cursors: KeyCursor[];

  constructor(forms: Readonly<Record<string, string>>) {
    this.#cursors = Object.entries(forms).map(([key, form]) => {
      const cursor = new SpanCursor(form);
      return { key, cursor, live: cursor.next() };
    });
  }

  next(): boolean {
    let best: KeyCursor | undefined;
    for (const c of this.#cursors) {
      if (c.live && (best === undefined || c.cursor.first < best.cursor.first)) best = c;
    }
    if (best === undefined) return false;
    this.first = best.cursor.first;
    this.last = best.cursor.last;
    this.key = best.key;
    best.live = best.cursor.next();
    return true;
  }
}
