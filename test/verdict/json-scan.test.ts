import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MISSING, type Pointer, parsePointer, resolve } from '../../lambda/ground/pointer.js';
import { pick, pointerTrie } from '../../lambda/verdict/json-scan.js';

const scan = (text: string, pointers: readonly Pointer[]) =>
  pick(text, pointerTrie(pointers), pointers.length);

/** Pointers into `value`: every path to a value it holds, and a few that miss. */
function pathsOf(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) pathsOf(item, [...prefix, String(i)], out);
    out.push([...prefix, String(value.length)], [...prefix, '-'], [...prefix, '01']);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
    out.push([...prefix, 'missing']);
  }
  return out;
}

describe('picking values at JSON Pointers without building the rest', () => {
  it('agrees with JSON.parse and resolve for any JSON text and pointers into it', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000 }),
        (value, pretty, seed) => {
          const text = JSON.stringify(value, null, pretty ? 2 : undefined);
          const all = pathsOf(JSON.parse(text));
          // A few pointers at once, as a rule has: some nested under others.
          const pointers = [0, 7, 13, 29].map((k) => all[(seed + k) % all.length] as string[]);

          const picked = scan(text, pointers);

          const document = JSON.parse(text) as unknown;
          pointers.forEach((pointer, i) => {
            expect(picked[i]).toEqual(resolve(document, pointer));
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes the last of duplicate keys, as JSON.parse does', () => {
    const text = '{"a": {"b": 1}, "id": 1, "a": {}, "id": 2}';

    expect(scan(text, [parsePointer('/a/b'), parsePointer('/id')])).toEqual([MISSING, 2]);
  });

  it('reads escaped keys and strings holding brackets and quotes', () => {
    const text = '{"x": "]}\\"{[", "i\\u0064": 25, "a/b": {"~": true}}';

    expect(scan(text, [parsePointer('/id'), parsePointer('/a~1b/~0')])).toEqual([25, true]);
  });

  it.each([
    '',
    '{"id": 1',
    '{"id" 1}',
    '{"id": 1,}x',
    '<html>{"id": 1}</html>',
    '{"id": 1} trailing',
    '{"a": "unterminated}',
    '{"skipped": [1, 2}, "id": 1}',
  ])('refuses %j as JSON', (text) => {
    expect(() => scan(text, [parsePointer('/id')])).toThrow(SyntaxError);
  });

  it('steps over a body nested 100,000 deep without recursion', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

    expect(scan(`{"deep": ${deep}, "id": 7}`, [parsePointer('/id')])).toEqual([7]);
  });
});
