import { ErrorKind, NOT_ATTEMPTED } from '../sweep/outcome.js';
import { parseSpans, type Span, SpanBuilder } from '../sweep/range.js';

/**
 * Which ids of a sweep did not meet their expectation: the attempted ids the verdict calls
 * unexpected, ascending and disjoint. The diff asks this of each sweep, range-wise.
 */
export type UnexpectedSpans = (ids: Readonly<Record<string, string>>) => Span[];

/**
 * Outcome keys that say nothing about the target: never started, or cut off by the sweep's own
 * deadline. Their ids are not compared (an incomplete sweep has its own alarm).
 */
export const NO_OUTCOME_KEYS: ReadonlySet<string> = new Set([NOT_ATTEMPTED, ErrorKind.aborted]);

/** True when the outcome key is a final 2xx or 3xx status: the default expectation. */
export function isAnswered(key: string): boolean {
  return /^[23]\d\d$/.test(key);
}

/**
 * The default expectation (a final 2xx or 3xx meets it, anything else attempted does not), until
 * the verdict's per-range rules replace it behind the same type.
 */
export const defaultUnexpected: UnexpectedSpans = (ids) => {
  const spans: Span[] = [];
  for (const [key, form] of Object.entries(ids)) {
    if (!isAnswered(key) && key !== NOT_ATTEMPTED) spans.push(...parseSpans(form));
  }
  spans.sort((x, y) => x[0] - y[0]);
  const builder = new SpanBuilder();
  for (const [first, last] of spans) builder.add(first, last);
  return builder.spans();
};
