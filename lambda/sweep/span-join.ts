import { parseSpans, type Span } from './range.js';

/**
 * Joins compact forms ("1-97,99") given in ascending order into one, in time linear in their
 * length: only the first and last span of each form are parsed, to join a run that continues
 * across two forms ("1-5" then "6-9" make "1-9"); the spans between are copied as text.
 * The forms come from formatSpans (our own shards), so their middles are not re-checked.
 */
export class SpanJoin {
  readonly #chunks: string[] = [];
  /** The last span so far, held back in case the next form continues it. */
  #tail: [number, number] | undefined;

  append(form: string): void {
    if (form === '') return;
    const firstComma = form.indexOf(',');
    const head = spanOf(firstComma < 0 ? form : form.slice(0, firstComma));
    const tail = this.#tail;
    if (tail && head[0] <= tail[1]) {
      throw new RangeError(`forms must ascend: "${form}" after ${tail[1]}`);
    }
    if (tail && head[0] === tail[1] + 1) tail[1] = head[1];
    else {
      this.#flush();
      this.#tail = [head[0], head[1]];
    }
    if (firstComma < 0) return;
    const lastComma = form.lastIndexOf(',');
    this.#flush();
    if (lastComma > firstComma) this.#chunks.push(form.slice(firstComma + 1, lastComma));
    const last = spanOf(form.slice(lastComma + 1));
    this.#tail = [last[0], last[1]];
  }

  toString(): string {
    this.#flush();
    return this.#chunks.join(',');
  }

  #flush(): void {
    if (!this.#tail) return;
    const [a, b] = this.#tail;
    this.#chunks.push(a === b ? String(a) : `${a}-${b}`);
    this.#tail = undefined;
  }
}

function spanOf(text: string): Span {
  const [span, extra] = parseSpans(text);
  if (!span || extra) throw new RangeError(`not one id or range: "${text}"`);
  return span;
}
