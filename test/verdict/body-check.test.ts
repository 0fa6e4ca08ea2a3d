import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { BodyRule } from '../../lambda/ground/body-rule.js';
import { ExpectRulesSchema } from '../../lambda/ground/expect-rules.js';
import { MISSING, parsePointer, resolve } from '../../lambda/ground/pointer.js';
import { problemsOf } from '../../lambda/ground/validation.js';
import { compileBody } from '../../lambda/verdict/body-check.js';

const inspect = (rule: BodyRule, body: unknown, id = 25) =>
  compileBody(rule).inspect(
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    id,
  );

describe('JSON Pointers (RFC 6901)', () => {
  const document = {
    foo: ['bar', 'baz'],
    '': 0,
    'a/b': 1,
    'm~n': 8,
    ' ': 7,
  };

  it.each([
    ['', document],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/m~0n', 8],
    ['/ ', 7],
  ])('resolves the RFC examples: "%s"', (pointer, value) => {
    expect(resolve(document, parsePointer(pointer))).toEqual(value);
  });

  it.each(['/foo/2', '/foo/-', '/foo/01', '/nope', '/foo/0/x', '/constructor', '/__proto__'])(
    'finds nothing at "%s" (own properties and valid indexes only)',
    (pointer) => {
      expect(resolve(document, parsePointer(pointer))).toBe(MISSING);
    },
  );

  it.each(['id', '/a~2', '/a~'])('refuses "%s"', (pointer) => {
    expect(() => parsePointer(pointer)).toThrow(RangeError);
  });
});

describe('a body check', () => {
  it('takes the id as the number or the string the body holds', () => {
    const rule: BodyRule = { json: { '/id': '{id}' } };

    expect(inspect(rule, { id: 25 })).toBeUndefined();
    expect(inspect(rule, { id: '25' })).toBeUndefined();
    expect(inspect(rule, { id: 26 })).toBe('/id is 26, expected 25');
    expect(inspect(rule, { id: '26' })).toBe('/id is "26", expected 25');
    expect(inspect(rule, { error: 'not found' })).toBe('/id is missing, expected 25');
  });

  it('compares literals, existence and JSON types', () => {
    expect(inspect({ json: { '/name': 'pikachu' } }, { name: 'raichu' })).toBe(
      '/name is "raichu", expected "pikachu"',
    );
    expect(inspect({ json: { '/ok': true, '/n': null } }, { ok: true, n: null })).toBeUndefined();
    expect(inspect({ json: { '/error': { exists: false } } }, { error: 'boom' })).toBe(
      '/error exists ("boom")',
    );
    expect(inspect({ json: { '/types': { type: 'array' } } }, { types: {} })).toBe(
      '/types is an object, expected an array',
    );
    expect(inspect({ json: { '/name': { exists: true } } }, {})).toBe('/name is missing');
  });

  it('searches the raw text for contains and notContains', () => {
    expect(inspect({ contains: '"species"' }, { species: {} })).toBeUndefined();
    expect(inspect({ contains: '"species"' }, { id: 1 })).toBe('body lacks "\\"species\\""');
    expect(inspect({ notContains: 'error' }, '{"error":1}')).toBe('body contains "error"');
  });

  it('says a body is not JSON without quoting it, and cuts long values', () => {
    const long = 'x'.repeat(10_000);

    expect(inspect({ json: { '/id': '{id}' } }, `<html>${long}</html>`)).toBe('body is not JSON');
    const said = inspect({ json: { '/id': '{id}' } }, { id: long }) ?? '';
    expect(said.length).toBeLessThan(80);
  });
});

describe('body rules from a request', () => {
  const problems = (rules: unknown) => {
    const result = v.safeParse(ExpectRulesSchema, rules);
    return result.success ? {} : problemsOf(result.issues);
  };

  it('take the issue example', () => {
    expect(
      problems([
        {
          ids: '1-1025',
          statuses: ['2xx'],
          body: { json: { '/id': '{id}', '/name': { exists: true } }, contains: '"species"' },
          maxLatencyMs: 2000,
        },
        { ids: '1026-', statuses: [404] },
      ]),
    ).toEqual({});
  });

  it('name each bad field by its path', () => {
    expect(
      problems([
        {
          statuses: ['2xx'],
          body: {
            json: { id: '{id}', '/x': { regex: '.*' } },
            maxBodyBytes: 2_000_000,
            grep: 'x',
          },
          maxLatencyMs: 0,
        },
        { statuses: [200], body: {} },
      ]),
    ).toEqual({
      '0.body.json.id': [expect.stringMatching(/^must be a JSON Pointer/)],
      '0.body.json./x': [expect.stringMatching(/^must be "\{id\}", a literal/)],
      '0.body.maxBodyBytes': [expect.stringMatching(/1048576 \(1 MiB\), got 2000000$/)],
      '0.body.grep': ['is not a known field'],
      '0.maxLatencyMs': ['must be an integer from 1 to 30000, got 0'],
      '1.body': [expect.stringMatching(/^must be at least one of "json"/)],
    });
  });
});
