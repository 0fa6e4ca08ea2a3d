import type { SweepResponse } from '../lambda/response.js';

/** A response as the CLI reads it: the contract, with the error samples when the handler sends them. */
export type CliResponse = SweepResponse & {
  /** Error text behind the error counts; shown when present. */
  readonly errorSamples?: unknown;
};
