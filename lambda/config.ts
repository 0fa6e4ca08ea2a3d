import * as v from 'valibot';
import { ConfigError } from './errors.js';

/** The target of the original demonstration; a deployment names its own. */
export const DEFAULT_TARGET_URL_TEMPLATE = 'https://pokeapi.co/api/v2/pokemon/{id}/';
export const ID_PLACEHOLDER = '{id}';

export const MetricsMode = {
  cloudwatch: 'cloudwatch',
  emf: 'emf',
  off: 'off',
  /** A readable summary on stderr: the default outside Lambda with no AWS settings. */
  local: 'local',
} as const;
export type MetricsMode = (typeof MetricsMode)[keyof typeof MetricsMode];

/** Everything the function reads from its environment, validated once at cold start. */
export interface Config {
  /** Where each id is fetched; `{id}` is replaced. Never chosen by a caller (SSRF). */
  readonly targetUrlTemplate: string;
  /** The `Target` metrics dimension. */
  readonly targetName: string;
  /** The most ids one invocation sweeps. */
  readonly maxIds: number;
  /** The most requests in flight a caller may ask for. */
  readonly maxConcurrency: number;
  readonly metricsNamespace: string;
  readonly metricsMode: MetricsMode;
  /** CloudWatch storage resolution in seconds. */
  readonly metricsStorageResolution: 1 | 60;
  /** Time kept back from the Lambda's remaining time to publish metrics and respond. */
  readonly responseMarginMs: number;
}

const intSetting = (fallback: number, min: number, max: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.trim(),
    v.regex(/^\d+$/, `an integer from ${min} to ${max}`),
    v.transform(Number),
    v.number(),
    v.minValue(min, `an integer from ${min} to ${max}`),
    v.maxValue(max, `an integer from ${min} to ${max}`),
  );

const EnvSchema = v.object({
  TARGET_URL_TEMPLATE: v.pipe(
    v.optional(v.string(), DEFAULT_TARGET_URL_TEMPLATE),
    v.check((t) => t.includes(ID_PLACEHOLDER), `a URL containing "${ID_PLACEHOLDER}"`),
    v.check((t) => {
      const url = URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'));
      return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
    }, 'an http or https URL'),
    v.check(
      (t) =>
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'))?.origin ===
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '2'))?.origin,
      `"${ID_PLACEHOLDER}" in the path or query, not the host`,
    ),
  ),
  TARGET_NAME: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, 'a non-empty name'),
      v.maxLength(255, 'at most 255 characters (a CloudWatch dimension value)'),
    ),
  ),
  MAX_IDS: intSetting(10_000, 1, 1_000_000),
  MAX_CONCURRENCY: intSetting(256, 1, 1_000),
  METRICS_NAMESPACE: v.pipe(
    v.optional(v.string(), 'StatusSweep'),
    v.regex(
      /^[0-9A-Za-z.\-_/#:]{1,255}$/,
      'a CloudWatch namespace (1-255 of A-Z a-z 0-9 . - _ / # :)',
    ),
    v.check((ns) => !ns.startsWith('AWS/'), 'a namespace not starting with "AWS/"'),
  ),
  METRICS_MODE: v.optional(
    v.picklist(Object.values(MetricsMode), `one of ${Object.values(MetricsMode).join(', ')}`),
  ),
  METRICS_STORAGE_RESOLUTION: v.pipe(
    v.optional(v.picklist(['1', '60'], '1 or 60'), '60'),
    v.transform((s) => (s === '1' ? 1 : 60) as 1 | 60),
  ),
  RESPONSE_MARGIN_MS: intSetting(3_000, 0, 60_000),
});

/** Reads and validates the configuration; throws ConfigError naming each bad setting. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const result = v.safeParse(EnvSchema, env);
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const name = issue.path?.map((p) => String(p.key)).join('.') ?? '?';
      return `${name} must be ${issue.message}, got ${JSON.stringify(issue.input)}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.output;
  return {
    targetUrlTemplate: e.TARGET_URL_TEMPLATE,
    targetName:
      e.TARGET_NAME ?? new URL(e.TARGET_URL_TEMPLATE.replaceAll(ID_PLACEHOLDER, '1')).host,
    maxIds: e.MAX_IDS,
    maxConcurrency: e.MAX_CONCURRENCY,
    metricsNamespace: e.METRICS_NAMESPACE,
    metricsMode: e.METRICS_MODE ?? defaultMetricsMode(env),
    metricsStorageResolution: e.METRICS_STORAGE_RESOLUTION,
    responseMarginMs: e.RESPONSE_MARGIN_MS,
  };
}

/** CloudWatch in Lambda or wherever AWS is configured; a readable local sink otherwise. */
function defaultMetricsMode(env: Readonly<Record<string, string | undefined>>): MetricsMode {
  const awsConfigured = [
    'AWS_LAMBDA_FUNCTION_NAME',
    'AWS_ENDPOINT_URL_CLOUDWATCH',
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
  ].some((name) => Boolean(env[name]));
  return awsConfigured ? MetricsMode.cloudwatch : MetricsMode.local;
}
