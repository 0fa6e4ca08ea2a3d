import {
  DEFAULT_EXPECT,
  DEFAULT_STATUSES,
  type ExpectRule,
  LAST_ID,
  parseIds,
} from '../ground/expect-rules.js';
import type { Span } from '../sweep/data.js';

/*
 * Expectation rules (expect-rules.ts: written, validated) compiled to what a count needs: each
 * rule's spans and a predicate on a final status.
 */

/** Rules ready to count with: each rule's spans and the statuses it accepts. */
export interface Expectations {
  readonly rules: readonly CompiledRule[];
}

interface CompiledRule {
  /** Ascending, disjoint; the last may end at LAST_ID. */
  readonly spans: readonly Span[];
  readonly accepts: (status: number) => boolean;
}

/** Compiles validated rules (ExpectRulesSchema's output). */
export function compileExpectations(rules: readonly ExpectRule[]): Expectations {
  return {
    rules: rules.map((rule) => ({
      spans: rule.ids === undefined ? [[0, LAST_ID]] : parseIds(rule.ids),
      accepts: acceptor(rule.statuses),
    })),
  };
}

/** The statuses a rule accepts, as a predicate on a final status. */
export function acceptor(statuses: readonly (number | string)[]): (status: number) => boolean {
  const codes = new Set<number>();
  const classes = new Set<number>();
  for (const s of statuses) {
    if (typeof s === 'string' && s.endsWith('xx')) classes.add(Number(s[0]));
    else codes.add(Number(s));
  }
  return (status) => codes.has(status) || classes.has(Math.floor(status / 100));
}

/** The default expectation, which also holds for ids that no rule names. */
export const DEFAULT_EXPECTATIONS: Expectations = compileExpectations(DEFAULT_EXPECT);
export const acceptsByDefault: (status: number) => boolean = acceptor(DEFAULT_STATUSES);
