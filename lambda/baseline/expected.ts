import { ErrorKind, NOT_ATTEMPTED, type Span } from '../sweep/data.js';
import { DEFAULT_EXPECTATIONS, type Expectations } from '../verdict/expectations.js';
import { matchExpectations } from '../verdict/match.js';

/**
 * Which ids of a sweep did not meet their expectation: the attempted ids the verdict calls
 * unexpected, ascending and disjoint. The diff asks this of a baseline that does not say.
 */
export type UnexpectedSpans = (ids: Readonly<Record<string, string>>) => Span[];

/**
 * Outcome keys that say nothing about the target: never started, or cut off by the sweep's own
 * deadline. Their ids are not compared (an incomplete sweep has its own alarm).
 */
export const NO_OUTCOME_KEYS: ReadonlySet<string> = new Set([NOT_ATTEMPTED, ErrorKind.aborted]);

/** The unexpected ids under `expectations`, range-wise: the verdict's own matcher. */
export function unexpectedBy(expectations: Expectations): UnexpectedSpans {
  return (ids) => matchExpectations(ids, expectations).unexpectedSpans;
}

/** The default expectation's (a final 2xx or 3xx meets it). */
export const defaultUnexpected: UnexpectedSpans = unexpectedBy(DEFAULT_EXPECTATIONS);
