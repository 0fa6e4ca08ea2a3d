import { describe, expect, it } from 'vitest';
import { acceptor } from '../../lambda/verdict/expectations.js';

describe('acceptor', () => {
  it.each([
    [['2xx'], 200, true],
    [['2xx'], 299, true],
    [['2xx'], 301, false],
    [[404], 404, true],
    [['404'], 404, true],
    [[404], 410, false],
    [['2xx', 404], 404, true],
    [['5xx'], 503, true],
  ] as const)('%j accepts %i: %s', (statuses, status, accepted) => {
    expect(acceptor(statuses)(status)).toBe(accepted);
  });
});
