import {
  DEFAULT_EXPECT,
  DEFAULT_STATUSES,
  type ExpectRule,
  LAST_ID,
  parseIds,
} from '../ground/expect-rules.js';
import type { IdCheck, Span } from '../sweep/data.js';
import { compileBody } from './body-check.js';

/*
 * Expectation rules (expect-rules.ts: written, validated) compiled to what a count needs: each
 * rule's spans and a predicate on a final status; and, for the engine, each rule's checks.
 */

/** Rules ready to count with: each rule's spans and the statuses it accepts. */
export interface Expectations {
  readonly rules: readonly CompiledRule[];
}

export interface CompiledRule {
  /** Ascending, disjoint; the last may end at LAST_ID. */
  readonly spans: readonly Span[];
  readonly accepts: (status: number) => boolean;
  /** The statuses as written, for samples: `2xx, 404`. */
  readonly statuses: string;
  /** What the engine checks beyond the status (body, maxLatencyMs); absent when nothing. */
  readonly check?: IdCheck;
}

/** Compiles validated rules (ExpectRulesSchema's output). */
export function compileExpectations(rules: readonly ExpectRule[]): Expectations {
  return {
    rules: rules.map((rule) => {
      const accepts = acceptor(rule.statuses);
      const checked = rule.body !== undefined || rule.maxLatencyMs !== undefined;
      return {
        spans: rule.ids === undefined ? [[0, LAST_ID]] : parseIds(rule.ids),
        accepts,
        statuses: rule.statuses.join(', '),
        ...(checked && {
          check: {
            accepts,
            ...(rule.body && { body: compileBody(rule.body) }),
            ...(rule.maxLatencyMs !== undefined && { maxLatencyMs: rule.maxLatencyMs }),
          },
        }),
      };
    }),
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
/** The rule ids no rule names are held to. */
export const DEFAULT_RULE: CompiledRule = {
  spans: [[0, LAST_ID]],
  accepts: acceptsByDefault,
  statuses: DEFAULT_STATUSES.join(', '),
};
