import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatSpans,
  parseSpans,
  partitionsRange,
  rangeSize,
  SpanBuilder,
  unionSpans,
} from '../../lambda/sweep/range.js';

describe('compact id ranges', () => {
  it.each([
    [[], ''],
    [[[5, 5]], '5'],
    [[[1, 97]], '1-97'],
    [
      [
        [1, 97],
        [99, 99],
      ],
      '1-97,99',
    ],
    [
      [
        [0, 0],
        [2, 3],
        [10, 12],
      ],
      '0,2-3,10-12',
    ],
  ] as const)('formats %j as "%s" and parses it back', (spans, text) => {
    expect(formatSpans(spans)).toBe(text);
    expect(parseSpans(text)).toEqual(spans);
  });

  it.each(['1-', '-1', 'a', '3-1', '1,,2', '2,1', '1-3,3', '1.5', ' 1'])(
    'rejects "%s" naming the bad part',
    (text) => {
      expect(() => parseSpans(text)).toThrow(RangeError);
    },
  );

  it('coalesces adjacent runs as it builds', () => {
    const builder = new SpanBuilder();
    builder.add(1);
    builder.add(2, 5);
    builder.add(7);
    builder.add(8);
    expect(formatSpans(builder.spans())).toBe('1-5,7-8');
  });

  it('refuses ids that do not ascend', () => {
    const builder = new SpanBuilder();
    builder.add(4);
    expect(() => builder.add(4)).toThrow(/ascend/);
  });

  it.each([
    ['1-3', '4-6', '1-6'],
    ['1,5', '2-4', '1-5'],
    ['', '7', '7'],
    ['10-20', '1-2', '1-2,10-20'],
  ])('unites "%s" and "%s" into "%s"', (a, b, union) => {
    expect(unionSpans(a, b)).toBe(union);
  });

  it.each([
    [['1-97', '98-100'], true],
    [['1-50', '52-100'], false],
    [['1-50', '50-100'], false],
    [['2-100'], false],
    [['1-101'], false],
    [['51-100', '1-50'], true],
  ])('tells whether %j partitions 1-100: %s', (forms, expected) => {
    expect(partitionsRange(forms, { start: 1, end: 100 })).toBe(expected);
  });

  it('counts a range inclusively', () => {
    expect(rangeSize({ start: 1, end: 100 })).toBe(100);
    expect(rangeSize({ start: 0, end: 0 })).toBe(1);
  });

  it('round-trips any set of ids through the compact form', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(10_000), { maxLength: 300 }), (ids) => {
        const sorted = [...ids].sort((a, b) => a - b);
        const builder = new SpanBuilder();
        for (const id of sorted) builder.add(id);
        const expanded = parseSpans(formatSpans(builder.spans())).flatMap(([a, b]) =>
          Array.from({ length: b - a + 1 }, (_, i) => a + i),
        );
        expect(expanded).toEqual(sorted);
      }),
    );
  });
});
