import * as v from 'valibot';
import { ID_PLACEHOLDER, SWEEP_METHODS, type SweepMethod } from '../sweep/data.js';
import type { Config, VerdictThresholds } from './config.js';
import { type ExpectRule, ExpectRulesSchema } from './expect-rules.js';
import { mustBe } from './validation.js';

/**
 * Several targets in one deployment. The first is the function's TARGET_* settings, as ever; the
 * others arrive in ADDITIONAL_TARGETS, a JSON array of the config file's target objects (infra/ writes it).
 * A request names its target; every other setting (limits, metrics, runs) is the deployment's.
 */

/** A target's request defaults: what a request that leaves them out gets. */
export interface TargetDefaults {
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly ratePerSecond?: number;
}

/** One deployed target, as the function sweeps it. */
export interface Target {
  /** The request field `target` and the `Target` metrics dimension. */
  readonly name: string;
  readonly urlTemplate: string;
  readonly method: SweepMethod;
  readonly headersSecret?: string;
  /** @default - the deployment's EXPECT, else a final 2xx or 3xx */
  readonly expect?: readonly ExpectRule[];
  readonly verdict?: Partial<VerdictThresholds>;
  readonly defaults?: TargetDefaults;
}

/** Names as a CloudWatch dimension, a request field and a construct id all take them. */
export const TARGET_NAME = /^[0-9A-Za-z_.-]{1,64}$/;

const int = v.pipe(v.number(), v.integer(), v.minValue(0));
const TargetEntry = v.strictObject({
  name: v.pipe(v.string(), v.regex(TARGET_NAME, mustBe('1-64 of A-Z a-z 0-9 _ . -'))),
  urlTemplate: v.pipe(
    v.string(),
    v.check(
      (t) => t.includes(ID_PLACEHOLDER) && /^https?:\/\/[^{}/]+\//.test(t),
      mustBe(`an http or https URL with "${ID_PLACEHOLDER}" in its path or query`),
    ),
  ),
  method: v.optional(v.picklist(SWEEP_METHODS), 'GET'),
  headersSecret: v.optional(v.string()),
  expect: v.optional(ExpectRulesSchema),
  verdictFailedBelowPercent: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
  verdictMaxP95Ms: v.optional(int),
  defaults: v.optional(
    v.strictObject({
      concurrency: v.optional(int),
      timeoutMs: v.optional(int),
      retries: v.optional(int),
      ratePerSecond: v.optional(v.number()),
    }),
  ),
});

/** ADDITIONAL_TARGETS: the targets after the first, as JSON (an empty list when unset). */
export const TargetsSetting = v.pipe(
  v.optional(v.string(), '[]'),
  v.parseJson(undefined, mustBe('a JSON array of targets')),
  v.array(TargetEntry, mustBe('a JSON array of targets')),
  v.transform((entries) =>
    entries.map(
      ({ verdictFailedBelowPercent, verdictMaxP95Ms, ...rest }): Target => ({
        ...rest,
        ...((verdictFailedBelowPercent !== undefined || verdictMaxP95Ms !== undefined) && {
          verdict: {
            ...(verdictFailedBelowPercent !== undefined && {
              failedBelowPercent: verdictFailedBelowPercent,
            }),
            ...(verdictMaxP95Ms !== undefined && { maxP95Ms: verdictMaxP95Ms }),
          },
        }),
      }),
    ),
  ),
);

/** The deployment's config as one target sees it: its URL, method, headers, rules, thresholds. */
export function configFor(config: Config, target: Target): Config {
  return {
    ...config,
    targetName: target.name,
    targetUrlTemplate: target.urlTemplate,
    targetMethod: target.method,
    targetHeadersSecret: target.headersSecret,
    expect: target.expect ?? config.expect,
    verdict: { ...config.verdict, ...target.verdict },
    targetDefaults: target.defaults,
    targets: config.targets,
  };
}
