import { describe, expect, it } from 'vitest';
import { MAX_ENVIRONMENT_BYTES } from '../../infra/constructs/node-function.js';
import { lambdaFunction, synthTemplate } from './support/synth.js';

/** `count` rules of a few ids each: each about 43 bytes of EXPECT. */
const rules = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    ids: `${i * 10 + 1}-${i * 10 + 5}`,
    statuses: [200],
  }));

describe("a function's environment and Lambda's 4 KB", () => {
  it('fails synth, naming the function and EXPECT, when expect takes it over 4 KB', () => {
    expect(() => synthTemplate({ function: { expect: rules(100) } })).toThrow(
      /StatusSweep\/Function: its environment is \d+ bytes as JSON, over Lambda's limit of 4096 bytes for all variables together; the largest are EXPECT \(\d+ bytes\)/,
    );
  });

  it('synthesizes 60 such rules, whose environment fits', () => {
    const template = synthTemplate({ function: { expect: rules(60) } });
    const { Variables: variables } = (
      lambdaFunction(template, 'Function').properties as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment;

    // References (the bucket's name) count at their longest, 64 bytes, in the check.
    expect(Buffer.byteLength(JSON.stringify(variables))).toBeLessThan(MAX_ENVIRONMENT_BYTES);
  });
});
