import { describe, expect, it, vi } from 'vitest';
import { LAMBDA_MAX_RESPONSE_BYTES } from '../../lambda/distributed/limits.js';
import { fitsResponse } from '../../lambda/distributed/result-link.js';

/** What fitsResponse leaves for the status, headers and escaping (result-link.ts). */
const ENVELOPE_BYTES = 16_384;
const ROOM = LAMBDA_MAX_RESPONSE_BYTES - ENVELOPE_BYTES;

describe('whether a result fits a Lambda response', () => {
  it('counts the body as the escaped JSON string it travels as, quotes included', () => {
    expect(fitsResponse('a'.repeat(ROOM - 2))).toBe(true);
    expect(fitsResponse('a'.repeat(ROOM - 1))).toBe(false);
    // Each quote escapes to two bytes, so half the room of them no longer fits.
    expect(fitsResponse('"'.repeat(ROOM / 2))).toBe(false);
    expect(fitsResponse('"'.repeat(ROOM / 2 - 1))).toBe(true);
  });

  it('counts multi-byte characters by their UTF-8 bytes', () => {
    expect(fitsResponse('é'.repeat(ROOM / 2 - 1))).toBe(true);
    expect(fitsResponse('é'.repeat(ROOM / 2))).toBe(false);
  });

  it('keeps the bytes asked for to spare', () => {
    expect(fitsResponse('a'.repeat(ROOM - 2), 1)).toBe(false);
  });

  it('says no to a 17 MB result without escaping it', () => {
    const result = `{"ids":"${'1,3,5,'.repeat(3_000_000)}"}`;
    const stringify = vi.spyOn(JSON, 'stringify');

    expect(fitsResponse(result)).toBe(false);

    expect(stringify).not.toHaveBeenCalled();
    stringify.mockRestore();
  });
});
