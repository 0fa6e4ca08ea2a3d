import { Annotations } from 'aws-cdk-lib';
import type { IConstruct, Node } from 'constructs';
import * as v from 'valibot';
import { AlarmAfterSchema } from '../lambda/ground/alarm-after.js';
import type { ExpectRule } from '../lambda/ground/expect-rules.js';
import { MuteWindowSchema } from '../lambda/ground/mute.js';
import { EventsMode } from '../lambda/ground/settings.js';
import { SWEEP_METHODS } from '../lambda/sweep/data.js';
import { NotifySchema } from './config/schema.js';
import type { SweepStackProps } from './sweep-stack.js';

/**
 * Deployment settings from CDK context (cdk.json `context`, or `-c key=value` on the command line,
 * where every value arrives as a string: numbers and the schedules JSON are parsed here).
 *
 * One name per setting: a context key is the stack prop's name and the camelCase of the function's
 * environment variable (`shardMaxConcurrency`, SHARD_MAX_CONCURRENCY). A duration is a number whose
 * name ends in its unit: milliseconds (`responseMarginMs`, RESPONSE_MARGIN_MS), or days for a retention AWS
 * counts in days (`resultsRetentionDays`).
 */
export const CONTEXT_KEYS = [
  'targetUrlTemplate',
  'targetName',
  'targetMethod',
  'targetHeadersSecret',
  'maxIds',
  'maxConcurrency',
  'metricsNamespace',
  'eventsMode',
  'memorySize',
  'timeoutMs',
  'reservedConcurrency',
  'throttlingRateLimit',
  'throttlingBurstLimit',
  'schedules',
  'alarmEmail',
  'successRateThreshold',
  'sweepLatenessMs',
  'newlyUnexpectedThreshold',
  'certificateWarningDays',
  'shardSize',
  'shardMaxConcurrency',
  'maxDistributedIds',
  'resultsRetentionDays',
  'expect',
  'verdictFailedBelowPercent',
  'verdictMaxP95Ms',
  'notify',
] as const;

/**
 * Context keys renamed to the vocabulary above: each still works, converted to its successor, with
 * a warning at synth that names the successor (warnDeprecatedContext).
 */
export const DEPRECATED_CONTEXT_KEYS = {
  timeoutSeconds: { successor: 'timeoutMs', factor: 1_000 },
  sweepLatenessMinutes: { successor: 'sweepLatenessMs', factor: 60_000 },
  mapMaxConcurrency: { successor: 'shardMaxConcurrency', factor: 1 },
} as const satisfies Record<string, { successor: (typeof CONTEXT_KEYS)[number]; factor: number }>;
type DeprecatedKey = keyof typeof DEPRECATED_CONTEXT_KEYS;
const DEPRECATED_KEYS = Object.keys(DEPRECATED_CONTEXT_KEYS) as DeprecatedKey[];

const int = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))]),
  v.number(),
  v.integer(),
  v.minValue(0),
);
const optionalInt = v.optional(int);
const optionalNumber = v.optional(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/), v.transform(Number))]),
);
/**
 * Expectation rules, as JSON or a JSON string: passed on as they are, since the function checks
 * them at synth (EXPECT through its config; a schedule's through its request parser, by name).
 */
const expectRules = v.optional(
  v.pipe(
    v.union([v.array(v.unknown()), v.pipe(v.string(), v.parseJson())]),
    v.custom<readonly ExpectRule[]>(Array.isArray, 'must be a JSON array of rules'),
  ),
);

const Schedule = v.strictObject({
  name: v.string(),
  expression: v.string(),
  timeZone: v.optional(v.string()),
  start: v.number(),
  end: v.number(),
  options: v.optional(
    v.strictObject({
      concurrency: v.optional(v.number()),
      timeoutMs: v.optional(v.number()),
      retries: v.optional(v.number()),
      ratePerSecond: v.optional(v.number()),
      timeBudgetMs: v.optional(v.number()),
      confirm: v.optional(v.boolean()),
      confirmMax: v.optional(v.number()),
      confirmDelayMs: v.optional(v.number()),
    }),
  ),
  enabled: v.optional(v.boolean()),
  expect: expectRules,
  mute: v.optional(v.array(MuteWindowSchema)),
  alarmAfter: v.optional(AlarmAfterSchema),
});

const Context = v.object({
  targetUrlTemplate: v.optional(v.string()),
  targetName: v.optional(v.string()),
  targetMethod: v.optional(v.picklist(SWEEP_METHODS)),
  targetHeadersSecret: v.optional(v.string()),
  maxIds: optionalInt,
  maxConcurrency: optionalInt,
  metricsNamespace: v.optional(v.string()),
  eventsMode: v.optional(v.picklist(Object.values(EventsMode))),
  memorySize: optionalInt,
  timeoutMs: v.optional(
    v.pipe(
      int,
      v.check(
        (ms) => ms % 1_000 === 0,
        'must be whole seconds (Lambda counts its timeout in seconds)',
      ),
    ),
  ),
  reservedConcurrency: optionalInt,
  throttlingRateLimit: optionalInt,
  throttlingBurstLimit: optionalInt,
  schedules: v.optional(
    v.pipe(v.union([v.array(v.unknown()), v.pipe(v.string(), v.parseJson())]), v.array(Schedule)),
  ),
  alarmEmail: v.optional(v.pipe(v.string(), v.email())),
  successRateThreshold: v.optional(v.pipe(int, v.maxValue(100))),
  sweepLatenessMs: v.optional(v.pipe(int, v.minValue(60_000))),
  newlyUnexpectedThreshold: v.optional(v.pipe(int, v.minValue(1))),
  certificateWarningDays: v.optional(v.pipe(int, v.minValue(1))),
  shardSize: optionalInt,
  shardMaxConcurrency: optionalInt,
  timeoutSeconds: optionalInt,
  sweepLatenessMinutes: v.optional(v.pipe(int, v.minValue(1))),
  mapMaxConcurrency: optionalInt,
  maxDistributedIds: optionalInt,
  resultsRetentionDays: optionalInt,
  expect: expectRules,
  verdictFailedBelowPercent: optionalNumber,
  verdictMaxP95Ms: optionalInt,
  notify: v.optional(
    v.pipe(
      v.union([v.record(v.string(), v.unknown()), v.pipe(v.string(), v.parseJson())]),
      NotifySchema,
    ),
  ),
});

/** Reads the stack's settings from context; throws naming each bad key and the value received. */
export function sweepStackPropsFromContext(node: Node): SweepStackProps {
  const keys = [...CONTEXT_KEYS, ...DEPRECATED_KEYS];
  const raw = Object.fromEntries(keys.map((key) => [key, node.tryGetContext(key)]));
  const result = v.safeParse(Context, raw);
  if (!result.success) {
    const problems = result.issues.map(
      (issue) =>
        `${v.getDotPath(issue) ?? '?'}: ${issue.message}, got ${JSON.stringify(issue.input)}`,
    );
    throw new Error(`invalid CDK context: ${problems.join('; ')}`);
  }
  const c = withSuccessors(result.output);
  return {
    function: {
      targetUrlTemplate: c.targetUrlTemplate,
      targetName: c.targetName,
      targetMethod: c.targetMethod,
      targetHeadersSecret: c.targetHeadersSecret,
      maxIds: c.maxIds,
      maxConcurrency: c.maxConcurrency,
      metricsNamespace: c.metricsNamespace,
      eventsMode: c.eventsMode,
      memorySize: c.memorySize,
      timeoutMs: c.timeoutMs,
      reservedConcurrency: c.reservedConcurrency,
      expect: c.expect,
      verdictFailedBelowPercent: c.verdictFailedBelowPercent,
      verdictMaxP95Ms: c.verdictMaxP95Ms,
    },
    api: {
      throttlingRateLimit: c.throttlingRateLimit,
      throttlingBurstLimit: c.throttlingBurstLimit,
    },
    distributed: {
      shardSize: c.shardSize,
      shardMaxConcurrency: c.shardMaxConcurrency,
      maxDistributedIds: c.maxDistributedIds,
      resultsRetentionDays: c.resultsRetentionDays,
    },
    schedules: c.schedules,
    alarms: {
      alarmEmail: c.alarmEmail,
      successRateThreshold: c.successRateThreshold,
      newlyUnexpectedThreshold: c.newlyUnexpectedThreshold,
      certificateWarningDays: c.certificateWarningDays,
      sweepLatenessMs: c.sweepLatenessMs,
    },
    ...(c.notify !== undefined && { notify: c.notify }),
  };
}

/** The settings with each deprecated key's value moved to its successor (which wins if both are set). */
function withSuccessors(c: v.InferOutput<typeof Context>): v.InferOutput<typeof Context> {
  const settings: Record<string, unknown> = { ...c };
  for (const key of DEPRECATED_KEYS) {
    const old = c[key];
    const { successor, factor } = DEPRECATED_CONTEXT_KEYS[key];
    if (old !== undefined && settings[successor] === undefined) settings[successor] = old * factor;
  }
  return settings as v.InferOutput<typeof Context>;
}

/** A warning on `scope` at synth for each deprecated context key set, naming its successor. */
export function warnDeprecatedContext(scope: IConstruct): void {
  for (const key of DEPRECATED_KEYS) {
    if (scope.node.tryGetContext(key) === undefined) continue;
    const { successor, factor } = DEPRECATED_CONTEXT_KEYS[key];
    const conversion =
      factor === 1 ? 'the same value' : `the value × ${factor.toLocaleString('en')}`;
    Annotations.of(scope).addWarningV2(
      `status-sweep:deprecated-context:${key}`,
      `CDK context key "${key}" is deprecated: use "${successor}" (${conversion}); it will be removed`,
    );
  }
}
