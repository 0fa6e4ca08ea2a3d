import { type ErrorSampler, mergeErrorSamples, type Samples } from './error-samples.js';
import type { CheckKind } from './outcome.js';
import {
  type Certificate,
  earliest,
  mergePhases,
  type PhaseHistograms,
  type PhaseSnapshots,
} from './phases.js';

/*
 * The aggregate's optional fields of checks and phases (checkSamples, phases, certificate), each
 * present only when it holds something: from a tally, and merged exactly across shards.
 */

/** The aggregate's fields of checks and phases (SweepAggregate has them). */
export interface CheckFields {
  /** Check kind → up to MAX_SAMPLES_PER_KIND lines (`id 25: /id is 26, expected 25`). */
  readonly checkSamples?: Samples<CheckKind>;
  /** Connect, TLS, first byte and body histograms (phases.ts); absent when not timed. */
  readonly phases?: PhaseSnapshots;
  /** The earliest-expiring leaf certificate among the sweep's connections (HTTPS only). */
  readonly certificate?: Certificate;
}

/** The fields of one sweep's tally: its check samples and, when timed, its phases. */
export function checkFields(tally: {
  readonly checkSamples: ErrorSampler<CheckKind>;
  readonly phases: PhaseHistograms | undefined;
}): CheckFields {
  const checkSamples = tally.checkSamples.toJSON();
  const certificate = tally.phases?.certificate;
  return {
    ...(Object.keys(checkSamples).length > 0 && { checkSamples }),
    ...(tally.phases && { phases: tally.phases.toJSON() }),
    ...(certificate && { certificate }),
  };
}

/** The fields of adjacent aggregates merged: samples capped, histograms added, earliest cert. */
export function mergedCheckFields(parts: readonly CheckFields[]): CheckFields {
  const checkSamples = mergeErrorSamples<CheckKind>(parts.map((a) => a.checkSamples));
  const phases = mergePhases(parts.map((a) => a.phases));
  const certificate = parts.reduce<Certificate | undefined>(
    (first, a) => earliest(first, a.certificate),
    undefined,
  );
  return {
    ...(Object.keys(checkSamples).length > 0 && { checkSamples }),
    ...(phases && { phases }),
    ...(certificate && { certificate }),
  };
}
