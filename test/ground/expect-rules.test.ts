import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ExpectRulesSchema,
  LAST_ID,
  MAX_EXPECT_RULES,
  parseIds,
} from '../../lambda/ground/expect-rules.js';
import { problemsOf } from '../../lambda/ground/validation.js';

/** The problems the rules schema finds, by field path ({} when the rules are valid). */
function problems(rules: unknown): Record<string, string[]> {
  const result = v.safeParse(ExpectRulesSchema, rules);
  return result.success ? {} : problemsOf(result.issues);
}

describe('parseIds', () => {
  it.each([
    ['1-1025', [[1, 1025]]],
    [
      '1-97,99',
      [
        [1, 97],
        [99, 99],
      ],
    ],
    ['1026-', [[1026, LAST_ID]]],
    ['0-', [[0, LAST_ID]]],
    [
      '1-5,7,10-',
      [
        [1, 5],
        [7, 7],
        [10, LAST_ID],
      ],
    ],
    ['1-5,6-', [[1, LAST_ID]]],
  ])('reads "%s" as the compact form the responses use, with an open end', (text, spans) => {
    expect(parseIds(text)).toEqual(spans);
  });

  it.each([
    '',
    '-5',
    '5-1',
    '1-5,3',
    '1-5,3-',
    '1026-,2000',
    'a',
    '1--2',
    '1-2-',
    '9007199254740993',
  ])('refuses "%s"', (text) => {
    expect(() => parseIds(text)).toThrow(RangeError);
  });
});

describe('the rules schema', () => {
  it('takes the PokéAPI rules and the default', () => {
    expect(
      problems([
        { ids: '1-1025', statuses: ['2xx'] },
        { ids: '1026-', statuses: [404] },
      ]),
    ).toEqual({});
    expect(problems([{ statuses: ['2xx', '3xx'] }])).toEqual({});
  });

  it.each([
    [{}, { '(input)': ['must be a list of rules, got {}'] }],
    [[], { '(input)': ['must be at least one rule (leave it out for the default), got []'] }],
    [[{ ids: '1-5' }], { '0.statuses': ['is required'] }],
    [[{ statuses: [] }], { '0.statuses': ['must be at least one status, got []'] }],
    [
      [{ statuses: [700, '2xy', 99.5, true] }],
      {
        '0.statuses.0': ['must be a status from 100 to 599 or "1xx"…"5xx", got 700'],
        '0.statuses.1': ['must be a status from 100 to 599 or "1xx"…"5xx", got "2xy"'],
        '0.statuses.2': ['must be a status from 100 to 599 or "1xx"…"5xx", got 99.5'],
        '0.statuses.3': ['must be a status from 100 to 599 or "1xx"…"5xx", got true'],
      },
    ],
    [
      [{ ids: '5-1', statuses: [200] }],
      {
        '0.ids': [
          'must be ascending ids in compact form: "1-1025", "1-97,99" or "1026-", got "5-1"',
        ],
      },
    ],
    [[{ ids: 5, statuses: [200] }], { '0.ids': ['must be ids in compact form, got 5'] }],
    [[{ statuses: [200], url: 'http://169.254.169.254/' }], { '0.url': ['is not a known field'] }],
    [[{ statuses: [200] }, 'x'], { '1': [expect.stringContaining('must be a rule')] }],
  ])('names each problem of %j by its path', (rules, expected) => {
    expect(problems(rules)).toEqual(expected);
  });

  it(`takes at most ${MAX_EXPECT_RULES} rules`, () => {
    const rule = { statuses: [200] };

    expect(problems(Array(MAX_EXPECT_RULES).fill(rule))).toEqual({});
    expect(problems(Array(MAX_EXPECT_RULES + 1).fill(rule))).toEqual({
      '(input)': [expect.stringMatching(/^must be at most 100 rules, got/)],
    });
  });
});
