import type { SweepResponse } from '../lambda/response.js';
import { NOT_ATTEMPTED } from '../lambda/sweep/outcome.js';
import { formatSpans, parseSpans, type Span } from '../lambda/sweep/range.js';

/*
 * The verdict fields of a response (issue 10), read by the CLI for its exit code, its summary and
 * its reports. A response from a handler without verdicts yet gets the documented default:
 * every attempted id should end 2xx or 3xx, failed below 95 % of them, degraded below 100 % or
 * when incomplete.
 */

export type Verdict = 'ok' | 'degraded' | 'failed';

export interface VerdictFields {
  readonly verdict: Verdict;
  /** Attempted ids that met their expectation. */
  readonly expected: number;
  /** Attempted ids that did not. */
  readonly unexpected: number;
  /** The unexpected ids, compact form ("1026-1030"). */
  readonly unexpectedIds: string;
}

/** A response as the CLI reads it: the contract, with the fields other issues add when present. */
export type CliResponse = SweepResponse &
  Partial<VerdictFields> & {
    /** Error text behind the error counts (another issue adds it); shown when present. */
    readonly errorSamples?: unknown;
  };

/** The default expectation's threshold: below it a sweep is failed. */
export const DEFAULT_FAILED_BELOW = 0.95;
const DEFAULT_EXPECTED = /^[23]\d\d$/;

/** The response's own verdict fields, or the default rule's when the handler has none. */
export function verdictOf(response: CliResponse): VerdictFields {
  if (response.verdict !== undefined) {
    return {
      verdict: response.verdict,
      expected: response.expected ?? 0,
      unexpected: response.unexpected ?? 0,
      unexpectedIds: response.unexpectedIds ?? '',
    };
  }
  const spans: Span[] = [];
  let expected = 0;
  for (const [outcome, ids] of Object.entries(response.ids)) {
    if (outcome === NOT_ATTEMPTED) continue;
    if (DEFAULT_EXPECTED.test(outcome)) expected += count(ids);
    else spans.push(...parseSpans(ids));
  }
  const unexpected = response.total - response.notAttempted - expected;
  const attempted = expected + unexpected;
  const rate = attempted === 0 ? 0 : expected / attempted;
  const verdict: Verdict =
    rate < DEFAULT_FAILED_BELOW ? 'failed' : rate < 1 || !response.complete ? 'degraded' : 'ok';
  spans.sort((a, b) => a[0] - b[0]);
  return { verdict, expected, unexpected, unexpectedIds: formatSpans(spans) };
}

function count(ids: string): number {
  return parseSpans(ids).reduce((n, [first, last]) => n + last - first + 1, 0);
}
