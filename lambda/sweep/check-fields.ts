import type { SweepAggregate, Tally } from './aggregate.js';
import { mergeErrorSamples } from './error-samples.js';
import type { CheckKind } from './outcome.js';
import { type Certificate, earliest, mergePhases } from './phases.js';

/*
 * The aggregate's optional fields of checks and phases (checkSamples, phases, certificate), each
 * present only when it holds something: from a tally, and merged exactly across shards.
 */

/** The fields of one sweep's tally. */
export function checkFields(tally: Tally): Partial<SweepAggregate> {
  const checkSamples = tally.checkSamples.toJSON();
  const certificate = tally.phases?.certificate;
  return {
    ...(Object.keys(checkSamples).length > 0 && { checkSamples }),
    ...(tally.phases && { phases: tally.phases.toJSON() }),
    ...(certificate && { certificate }),
  };
}

/** The fields of adjacent aggregates merged: samples capped, histograms added, earliest cert. */
export function mergedCheckFields(parts: readonly SweepAggregate[]): Partial<SweepAggregate> {
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
