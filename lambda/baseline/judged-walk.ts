import { KeyedSpanWalk, type Span, SpanCursor } from '../sweep/data.js';
import { NO_OUTCOME_KEYS } from './expected.js';

/** Whether a stretch of ids met its expectation, did not, or has no outcome to judge. */
export const State = { met: 0, unmet: 1, none: 2 } as const;
export type State = (typeof State)[keyof typeof State];

/** Spans to step through: a list, or the compact form read in place. */
interface Spans {
  first: number;
  last: number;
  next(): boolean;
}

class ListCursor implements Spans {
  first = 0;
  last = -1;
  readonly #spans: readonly Span[];
  #i = 0;

  constructor(spans: readonly Span[]) {
    this.#spans = spans;
  }

  next(): boolean {
    const span = this.#spans[this.#i++];
    if (span === undefined) return false;
    [this.first, this.last] = span;
    return true;
  }
}

/**
 * A sweep's ids in id order as stretches of one outcome key and one state, each stretch split
 * where its expectation is met or not: the walk the diff takes over each sweep, reading the
 * compact forms in place (one pass, nothing but the current stretch held).
 */
export class JudgedWalk {
  first = 0;
  last = -1;
  key = '';
  state: State = State.none;
  readonly #outcomes: KeyedSpanWalk;
  readonly #unexpected: Spans;
  #unexpectedLive: boolean;
  /** The rest of the current outcome span not yet returned. */
  #from = 0;
  #to = -1;

  constructor(ids: Readonly<Record<string, string>>, unexpected: readonly Span[] | string) {
    this.#outcomes = new KeyedSpanWalk(ids);
    this.#unexpected =
      typeof unexpected === 'string' ? new SpanCursor(unexpected) : new ListCursor(unexpected);
    this.#unexpectedLive = this.#unexpected.next();
  }

  /** Moves to the next stretch; false after the last. */
  next(): boolean {
    if (this.#from > this.#to) {
      if (!this.#outcomes.next()) return false;
      this.#from = this.#outcomes.first;
      this.#to = this.#outcomes.last;
      this.key = this.#outcomes.key;
    }
    const x = this.#from;
    this.first = x;
    if (NO_OUTCOME_KEYS.has(this.key)) {
      this.#end(this.#to, State.none);
      return true;
    }
    const u = this.#unexpected;
    while (this.#unexpectedLive && u.last < x) this.#unexpectedLive = u.next();
    if (!this.#unexpectedLive || u.first > this.#to) {
      this.#end(this.#to, State.met);
    } else if (u.first > x) {
      this.#end(u.first - 1, State.met);
    } else {
      this.#end(Math.min(this.#to, u.last), State.unmet);
    }
    return true;
  }

  #end(last: number, state: State): void {
    this.last = last;
    this.state = state;
    this.#from = last + 1;
  }
}
