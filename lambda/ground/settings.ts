import * as v from 'valibot';
import { ID_PLACEHOLDER, SWEEP_METHODS } from '../sweep/data.js';
import {
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_IDS,
  DEFAULT_METRICS_NAMESPACE,
  DEFAULT_METRICS_STORAGE_RESOLUTION,
  DEFAULT_RESPONSE_MARGIN_MS,
  DEFAULT_SHARD_MAX_CONCURRENCY,
  DEFAULT_TARGET_HEADERS_MAX_AGE_MS,
  DEFAULT_TARGET_METHOD,
  DEFAULT_TARGET_URL_TEMPLATE,
  DEFAULT_VERDICT_FAILED_BELOW_PERCENT,
} from './defaults.js';
import { ExpectRulesSchema } from './expect-rules.js';
import { TargetsSetting } from './targets.js';
import { mustBe } from './validation.js';

/**
 * `name=start-end` pairs, comma-separated, or nothing. The names are checked where a request
 * names a schedule (a bad one in a schedule fails synth naming it).
 */
const SCHEDULE_RANGES = /^([^,=]{1,64}=\d+-\d+(,[^,=]{1,64}=\d+-\d+)*)?$/;
/** `name=target` pairs, comma-separated: the schedules that sweep a target other than the first. */
const SCHEDULE_TARGETS =
  /^([^,=]{1,64}=[0-9A-Za-z_.-]{1,64}(,[^,=]{1,64}=[0-9A-Za-z_.-]{1,64})*)?$/;

function parseScheduleRanges(text: string): Record<string, { start: number; end: number }> {
  const ranges: Record<string, { start: number; end: number }> = Object.create(null);
  for (const pair of text.split(',').filter((p) => p !== '')) {
    const [name = '', range = ''] = pair.split('=');
    const [start, end] = range.split('-').map(Number) as [number, number];
    ranges[name] = { start, end };
  }
  return { ...ranges };
}

/*
 * The environment's settings as the function accepts them: each one's type, range and default,
 * with the value expected in every message. loadConfig (config.ts) reads them through this schema.
 */

/** Where a sweep's metrics go (METRICS_MODE). */
export const MetricsMode = {
  cloudwatch: 'cloudwatch',
  emf: 'emf',
  off: 'off',
  /** A readable summary on stderr: the default outside Lambda with no AWS settings. */
  local: 'local',
} as const;
export type MetricsMode = (typeof MetricsMode)[keyof typeof MetricsMode];

/** Where a sweep's "Sweep Finished" event goes (EVENTS_MODE). */
export const EventsMode = {
  /** PutEvents on the account's default bus. */
  eventbridge: 'eventbridge',
  off: 'off',
} as const;
export type EventsMode = (typeof EventsMode)[keyof typeof EventsMode];

const integer = (min: number, max: number) => {
  const message = mustBe(`an integer from ${min} to ${max}`);
  return v.pipe(
    v.string(message),
    v.trim(),
    v.regex(/^\d+$/, message),
    v.transform(Number),
    v.number(),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
};
const percentMessage = mustBe('a number from 0 to 100');
const percentSetting = (fallback: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.trim(),
    v.regex(/^\d+(\.\d+)?$/, percentMessage),
    v.transform(Number),
    v.number(),
    v.maxValue(100, percentMessage),
  );
const intSetting = (fallback: number, min: number, max: number) =>
  v.pipe(v.optional(v.string(), String(fallback)), integer(min, max));

export const EnvSchema = v.object({
  TARGET_URL_TEMPLATE: v.pipe(
    v.optional(v.string(), DEFAULT_TARGET_URL_TEMPLATE),
    v.check((t) => t.includes(ID_PLACEHOLDER), mustBe(`a URL containing "${ID_PLACEHOLDER}"`)),
    v.check((t) => {
      const url = URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'));
      return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
    }, mustBe('an http or https URL')),
    v.check(
      (t) =>
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'))?.origin ===
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '2'))?.origin,
      mustBe(`"${ID_PLACEHOLDER}" in the path or query, not the host`),
    ),
  ),
  TARGET_NAME: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, mustBe('a non-empty name')),
      v.maxLength(255, mustBe('at most 255 characters (a CloudWatch dimension value)')),
    ),
  ),
  TARGET_METHOD: v.optional(
    v.picklist(SWEEP_METHODS, mustBe(SWEEP_METHODS.join(' or '))),
    DEFAULT_TARGET_METHOD,
  ),
  TARGET_HEADERS_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/,
        mustBe('a Secrets Manager secret name or ARN'),
      ),
    ),
  ),
  // Set by infra/ from the config file: the targets after the first (ADDITIONAL_TARGETS, targets.ts).
  ADDITIONAL_TARGETS: TargetsSetting,
  TARGET_HEADERS_MAX_AGE_MS: intSetting(DEFAULT_TARGET_HEADERS_MAX_AGE_MS, 1_000, 86_400_000),
  MAX_IDS: intSetting(DEFAULT_MAX_IDS, 1, 1_000_000),
  MAX_CONCURRENCY: intSetting(DEFAULT_MAX_CONCURRENCY, 1, 1_000),
  METRICS_NAMESPACE: v.pipe(
    v.optional(v.string(), DEFAULT_METRICS_NAMESPACE),
    v.regex(
      /^[0-9A-Za-z.\-_/#:]{1,255}$/,
      mustBe('a CloudWatch namespace (1-255 of A-Z a-z 0-9 . - _ / # :)'),
    ),
    v.check((ns) => !ns.startsWith('AWS/'), mustBe('a namespace not starting with "AWS/"')),
  ),
  METRICS_MODE: v.optional(
    v.picklist(
      Object.values(MetricsMode),
      mustBe(`one of ${Object.values(MetricsMode).join(', ')}`),
    ),
  ),
  EVENTS_MODE: v.optional(
    v.picklist(Object.values(EventsMode), mustBe(`one of ${Object.values(EventsMode).join(', ')}`)),
  ),
  DASHBOARD_URL: v.optional(
    v.pipe(v.string(), v.regex(/^https:\/\/[^\s]{1,2000}$/, mustBe('an https URL'))),
  ),
  METRICS_STORAGE_RESOLUTION: v.pipe(
    v.optional(
      v.picklist(['1', '60'], mustBe('1 or 60')),
      `${DEFAULT_METRICS_STORAGE_RESOLUTION}` as const,
    ),
    v.transform((s) => (s === '1' ? 1 : 60) as 1 | 60),
  ),
  RESPONSE_MARGIN_MS: intSetting(DEFAULT_RESPONSE_MARGIN_MS, 0, 60_000),
  STATE_MACHINE_ARN: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]{1,80}$/,
        mustBe('a Step Functions state machine ARN'),
      ),
    ),
  ),
  SHARD_SIZE: v.optional(integer(1, 1_000_000)),
  SHARD_MAX_CONCURRENCY: intSetting(DEFAULT_SHARD_MAX_CONCURRENCY, 1, 10_000),
  MAX_DISTRIBUTED_IDS: v.optional(integer(1, 10_000_000)),
  RESULTS_BUCKET: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, mustBe('an S3 bucket name'))),
  ),
  // Set by infra/ from the schedules, each checked at synth by this function's request parser.
  SCHEDULE_NAMES: v.pipe(
    v.optional(v.string(), ''),
    v.transform((s) => s.split(',').filter((name) => name !== '')),
  ),
  // Set by infra/ beside SCHEDULE_NAMES: `kanto=1-151,johto=152-251`, each schedule's range.
  SCHEDULE_RANGES: v.pipe(
    v.optional(v.string(), ''),
    v.regex(SCHEDULE_RANGES, mustBe('name=start-end pairs, comma-separated')),
    v.transform(parseScheduleRanges),
  ),
  // Set by infra/ beside SCHEDULE_NAMES: `nightly=canary`, each schedule of another target.
  SCHEDULE_TARGETS: v.pipe(
    v.optional(v.string(), ''),
    v.regex(SCHEDULE_TARGETS, mustBe('name=target pairs, comma-separated')),
    v.transform((text) =>
      Object.fromEntries(
        text
          .split(',')
          .filter((pair) => pair !== '')
          .map((pair) => pair.split('=') as [string, string]),
      ),
    ),
  ),
  EXPECT: v.optional(
    v.pipe(v.string(), v.parseJson(undefined, mustBe('JSON rules')), ExpectRulesSchema),
  ),
  VERDICT_FAILED_BELOW_PERCENT: percentSetting(DEFAULT_VERDICT_FAILED_BELOW_PERCENT),
  VERDICT_MAX_P95_MS: v.optional(integer(1, 900_000)),
});
