import * as v from 'valibot';

/**
 * One way to say what is wrong with an input, for settings, requests and our own events alike:
 * each field with what it must be and what it got, `MAX_IDS must be an integer from 1 to
 * 1000000, got "0"`. Like middy's shared `validateOptions`, one formatter instead of one per caller.
 */

/** Field (a dotted path, `options.concurrency`) → every problem with it. */
export type Problems = Record<string, string[]>;

/** What stands in for the field name when the input itself is wrong (not an object, say). */
export const ROOT_FIELD = '(input)';

/** A valibot message: `is required`, or `must be <expected>, got <the value received>`. */
export function mustBe(expected: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) =>
    issue.input === undefined ? 'is required' : `must be ${expected}, ${got(issue)}`;
}

/**
 * `got 0`, `got "abc"`: the value received, as JSON; a number JSON cannot write (`1e400` parses to
 * Infinity) as itself rather than JSON's `null`.
 */
export function got(issue: v.BaseIssue<unknown>): string {
  const { input } = issue;
  if (typeof input === 'number' && !Number.isFinite(input)) return `got ${input}`;
  return `got ${JSON.stringify(input) ?? 'nothing'}`;
}

/** The problems valibot found, by field; problems already listed for a field are kept first. */
export function problemsOf(issues: readonly v.BaseIssue<unknown>[], into: Problems = {}): Problems {
  const flat = v.flatten(issues as [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]);
  if (flat.root && !into[ROOT_FIELD]) into[ROOT_FIELD] = flat.root;
  for (const [field, messages] of Object.entries(flat.nested ?? {})) {
    if (messages && !into[field]) into[field] = messages;
  }
  return into;
}

/** One line for a message: `start is required; end must be an integer …, got -1`. */
export function describeProblems(problems: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(problems)
    .map(([field, messages]) =>
      field === ROOT_FIELD ? messages.join(', ') : `${field} ${messages.join(', ')}`,
    )
    .join('; ');
}
