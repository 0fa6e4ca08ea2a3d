import { KeyedSpanWalk } from './span-cursor.js';

/** An inclusive range of non-negative integer ids: {start: 1, end: 100} is 100 ids. */
export interface IdRange {
  readonly start: number;
  readonly end: number;
}

/** A run of consecutive ids, inclusive at both ends. */
export type Span = readonly [first: number, last: number];

export function rangeSize(range: IdRange): number {
  return range.end - range.start + 1;
}

/**
 * Builds the compact form ("1-97,99") from ids given in ascending order, one run at a time, so
 * that no list of ids is ever held. With a `sink`, each finished span goes there instead of into
 * the list (which then stays empty): no list of spans is held either.
 */
export class SpanBuilder {
  readonly #spans: Span[] = [];
  readonly #sink: (first: number, last: number) => void;
  #first = -1;
  #last = -1;

  constructor(sink?: (first: number, last: number) => void) {
    this.#sink = sink ?? ((first, last) => this.#spans.push([first, last]));
  }

  /** Adds a run of ids; runs must arrive in ascending order. Adjacent runs coalesce. */
  add(first: number, last: number = first): void {
    if (this.#first >= 0 && first <= this.#last) {
      throw new RangeError(`ids must ascend: ${first} after ${this.#last}`);
    }
    if (this.#first >= 0 && first === this.#last + 1) {
      this.#last = last;
      return;
    }
    this.#flush();
    this.#first = first;
    this.#last = last;
  }

  /** The spans so far, the last one finished (sent to the sink, if there is one). */
  spans(): Span[] {
    this.#flush();
    return this.#spans;
  }

  #flush(): void {
    if (this.#first < 0) return;
    this.#sink(this.#first, this.#last);
    this.#first = -1;
  }
}

/**
 * The compact form written as ascending runs of ids arrive (adjacent runs coalesce): what
 * formatSpans(spans) would give, without the list of spans.
 */
export class SpanText {
  readonly #parts: string[] = [];
  readonly #builder = new SpanBuilder((first, last) =>
    this.#parts.push(first === last ? String(first) : `${first}-${last}`),
  );

  /** Adds a run of ids; runs must arrive in ascending order. */
  add(first: number, last: number = first): void {
    this.#builder.add(first, last);
  }

  toString(): string {
    this.#builder.spans();
    return this.#parts.join(',');
  }
}

/** "1-97,99" from spans. */
export function formatSpans(spans: readonly Span[]): string {
  return spans.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
}

const SPAN = /^(\d+)(?:-(\d+))?$/;

/** How many ids the spans hold. */
export function spanTotal(spans: readonly Span[]): number {
  return spans.reduce((n, [first, last]) => n + last - first + 1, 0);
}

/** The number of ids in compact form, without listing them. */
export function countIds(form: string): number {
  return spanTotal(parseSpans(form));
}

/** Spans from the compact form; throws a RangeError that quotes the bad part. */
export function parseSpans(text: string): Span[] {
  if (text === '') return [];
  const builder = new SpanBuilder();
  for (const part of text.split(',')) {
    const match = SPAN.exec(part);
    const first = Number(match?.[1]);
    const last = match?.[2] === undefined ? first : Number(match[2]);
    if (!match || !Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last < first) {
      throw new RangeError(`not an id or an ascending range: "${part}" in "${text}"`);
    }
    builder.add(first, last);
  }
  return builder.spans();
}

/** The union of two disjoint compact forms, in compact form. */
export function unionSpans(a: string, b: string): string {
  const left = parseSpans(a);
  const right = parseSpans(b);
  const builder = new SpanBuilder();
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    if (r === undefined || (l !== undefined && l[0] < r[0])) {
      builder.add(...(l as Span));
      i++;
    } else {
      builder.add(...r);
      j++;
    }
  }
  return formatSpans(builder.spans());
}

/**
 * True when the compact forms cover every id of the range exactly once and nothing else: one
 * pass over their text (KeyedSpanWalk), no spans held nor sorted. Throws a RangeError for a form
 * that is not ascending spans.
 */
export function partitionsRange(forms: Iterable<string>, range: IdRange): boolean {
  const walk = new KeyedSpanWalk(Object.fromEntries([...forms].map((form, i) => [i, form])));
  let next = range.start;
  while (walk.next()) {
    if (walk.first !== next) return false;
    next = walk.last + 1;
  }
  return next === range.end + 1;
}
