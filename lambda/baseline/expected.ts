import { ErrorKind, NOT_ATTEMPTED } from '../sweep/data.js';
import { DEFAULT_EXPECTATIONS, type Expectations } from '../verdict/expectations.js';
import { countExpectations } from '../verdict/match.js';

/**
 * Which ids of a sweep did not meet their expectation: the attempted ids the verdict calls
 * unexpected, in compact form. The diff asks this of a baseline that does not say.
 */
export type UnexpectedIds = (ids: Readonly<Record<string, string>>) => string;

/**
 * Outcome keys that say nothing about the target: never started, or cut off by the sweep's own
 * deadline. Their ids are not compared (an incomplete sweep has its own alarm).
 */
export const NO_OUTCOME_KEYS: ReadonlySet<string> = new Set([NOT_ATTEMPTED, ErrorKind.aborted]);

/** The unexpected ids under `expectations`, range-wise: the verdict's own matcher. */
export function unexpectedBy(expectations: Expectations): UnexpectedIds {
  return (ids) => countExpectations(ids, expectations).unexpectedIds;
}

/** The default expectation's (a final 2xx or 3xx meets it). */
export const defaultUnexpected: UnexpectedIds = unexpectedBy(DEFAULT_EXPECTATIONS);
