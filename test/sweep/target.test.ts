import { describe, expect, it } from 'vitest';
import { urlTemplateParts } from '../../lambda/sweep/target.js';

describe('URL templates', () => {
  it.each([
    ['https://pokeapi.co/api/v2/pokemon/{id}/', 25, 'https://pokeapi.co', '/api/v2/pokemon/25/'],
    ['http://127.0.0.1:8080/items?id={id}&x=1', 7, 'http://127.0.0.1:8080', '/items?id=7&x=1'],
    ['https://example.test/a/{id}/b/{id}', 3, 'https://example.test', '/a/3/b/3'],
    ['HTTPS://Example.TEST:443/{id}', 1, 'https://example.test', '/1'],
  ])('splits %s for id %i into origin %s and path %s', (template, id, origin, path) => {
    const parts = urlTemplateParts(template);
    expect(parts.origin).toBe(origin);
    expect(parts.pathFor(id)).toBe(path);
  });

  it.each(['https://{id}.example.test/', 'https://example.test/none'])('rejects %s', (template) => {
    expect(() => urlTemplateParts(template)).toThrow(RangeError);
  });
});
