import * as v from 'valibot';
import { ID_PLACEHOLDER, SWEEP_METHODS, type SweepMethod } from '../sweep/data.js';
import { DEFAULT_TARGET_METHOD } from './defaults.js';
import { type ExpectRule, ExpectRulesSchema } from './expect-rules.js';
import type { VerdictThresholds } from './thresholds.js';
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
/** An http(s) URL whose host holds no `{id}`: the id goes in the path or query (one origin). */
const URL_TEMPLATE = /^https?:\/\/[^{}/?#]+[/?].*\{id\}/;

/** An integer setting of a JSON file, its bounds and meaning in its JSON Schema too. */
export const jsonInt = (min: number, max: number, text: string) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max), v.description(text));

/** A target's request defaults, as the config file and ADDITIONAL_TARGETS write them. */
export const TargetDefaultsSchema = v.strictObject({
  concurrency: v.optional(jsonInt(1, 1_000, 'Requests in flight at most.')),
  timeoutMs: v.optional(jsonInt(100, 30_000, 'Per attempt, in ms.')),
  retries: v.optional(jsonInt(0, 5, 'Extra attempts for network errors, 429, 502, 503, 504.')),
  ratePerSecond: v.optional(
    v.pipe(
      v.number(),
      v.minValue(0.01),
      v.maxValue(100_000),
      v.description('Request starts per second.'),
    ),
  ),
});

/** One target as the config file writes it (its JSON Schema comes from here too). */
export const TargetSchema = v.strictObject({
  name: v.pipe(
    v.string(),
    v.regex(TARGET_NAME, mustBe('1-64 of A-Z a-z 0-9 _ . -')),
    v.description('The request field `target` and the Target metrics dimension.'),
  ),
  urlTemplate: v.pipe(
    v.string(),
    v.regex(
      URL_TEMPLATE,
      mustBe(`an http or https URL with "${ID_PLACEHOLDER}" in its path or query`),
    ),
    v.description(`Where each id is fetched: "${ID_PLACEHOLDER}" in the path or query.`),
  ),
  method: v.optional(v.picklist(SWEEP_METHODS)),
  headersSecret: v.optional(
    v.pipe(
      v.string(),
      v.description('A Secrets Manager secret (name or ARN) holding a JSON object of headers.'),
    ),
  ),
  expect: v.optional(ExpectRulesSchema),
  verdictFailedBelowPercent: v.optional(
    v.pipe(
      v.number(),
      v.minValue(0),
      v.maxValue(100),
      v.description('Failed below this % of ids meeting their expectation.'),
    ),
  ),
  verdictMaxP95Ms: v.optional(jsonInt(1, 900_000, 'Degraded above this p95 latency, in ms.')),
  defaults: v.optional(TargetDefaultsSchema),
});

/** One target as the config file writes it. */
export type TargetConfig = v.InferOutput<typeof TargetSchema>;

/** ADDITIONAL_TARGETS: the targets after the first, as JSON (an empty list when unset). */
export const TargetsSetting = v.pipe(
  v.optional(v.string(), '[]'),
  v.parseJson(undefined, mustBe('a JSON array of targets')),
  v.array(TargetSchema, mustBe('a JSON array of targets')),
  v.transform((entries) =>
    entries.map(
      ({ verdictFailedBelowPercent, verdictMaxP95Ms, method, ...rest }): Target => ({
        ...rest,
        method: method ?? DEFAULT_TARGET_METHOD,
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
