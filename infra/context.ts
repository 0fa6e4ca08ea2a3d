import { Duration } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import * as v from 'valibot';
import type { ExpectRule } from '../lambda/ground/expect-rules.js';
import { SWEEP_METHODS } from '../lambda/sweep/index.js';
import type { SweepStackProps } from './sweep-stack.js';

/**
 * Deployment settings from CDK context (cdk.json `context`, or `-c key=value` on the command line,
 * where every value arrives as a string: numbers and the schedules JSON are parsed here).
 */
export const CONTEXT_KEYS = [
  'targetUrlTemplate',
  'targetName',
  'targetMethod',
  'targetHeadersSecret',
  'maxIds',
  'maxConcurrency',
  'metricsNamespace',
  'memorySize',
  'timeoutSeconds',
  'reservedConcurrency',
  'throttlingRateLimit',
  'throttlingBurstLimit',
  'schedules',
  'alarmEmail',
  'successRateThreshold',
  'sweepLatenessMinutes',
  'newlyUnexpectedThreshold',
  'shardSize',
  'mapMaxConcurrency',
  'maxDistributedIds',
  'resultsRetentionDays',
  'expect',
  'verdictFailedBelowPercent',
  'verdictMaxP95Ms',
] as const;

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
    }),
  ),
  enabled: v.optional(v.boolean()),
  expect: expectRules,
});

const Context = v.object({
  targetUrlTemplate: v.optional(v.string()),
  targetName: v.optional(v.string()),
  targetMethod: v.optional(v.picklist(SWEEP_METHODS)),
  targetHeadersSecret: v.optional(v.string()),
  maxIds: optionalInt,
  maxConcurrency: optionalInt,
  metricsNamespace: v.optional(v.string()),
  memorySize: optionalInt,
  timeoutSeconds: optionalInt,
  reservedConcurrency: optionalInt,
  throttlingRateLimit: optionalInt,
  throttlingBurstLimit: optionalInt,
  schedules: v.optional(
    v.pipe(v.union([v.array(v.unknown()), v.pipe(v.string(), v.parseJson())]), v.array(Schedule)),
  ),
  alarmEmail: v.optional(v.pipe(v.string(), v.email())),
  successRateThreshold: v.optional(v.pipe(int, v.maxValue(100))),
  sweepLatenessMinutes: v.optional(v.pipe(int, v.minValue(1))),
  newlyUnexpectedThreshold: v.optional(v.pipe(int, v.minValue(1))),
  shardSize: optionalInt,
  mapMaxConcurrency: optionalInt,
  maxDistributedIds: optionalInt,
  resultsRetentionDays: optionalInt,
  expect: expectRules,
  verdictFailedBelowPercent: optionalNumber,
  verdictMaxP95Ms: optionalInt,
});

/** Reads the stack's settings from context; throws naming each bad key and the value received. */
export function sweepStackPropsFromContext(node: Node): SweepStackProps {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, node.tryGetContext(key)]));
  const result = v.safeParse(Context, raw);
  if (!result.success) {
    const problems = result.issues.map(
      (issue) =>
        `${v.getDotPath(issue) ?? '?'}: ${issue.message}, got ${JSON.stringify(issue.input)}`,
    );
    throw new Error(`invalid CDK context: ${problems.join('; ')}`);
  }
  const c = result.output;
  return {
    function: {
      targetUrlTemplate: c.targetUrlTemplate,
      targetName: c.targetName,
      targetMethod: c.targetMethod,
      targetHeadersSecret: c.targetHeadersSecret,
      maxIds: c.maxIds,
      maxConcurrency: c.maxConcurrency,
      metricsNamespace: c.metricsNamespace,
      memorySize: c.memorySize,
      timeout: c.timeoutSeconds === undefined ? undefined : Duration.seconds(c.timeoutSeconds),
      reservedConcurrency: c.reservedConcurrency,
      expect: c.expect,
      verdictFailedBelowPercent: c.verdictFailedBelowPercent,
      verdictMaxP95:
        c.verdictMaxP95Ms === undefined ? undefined : Duration.millis(c.verdictMaxP95Ms),
    },
    api: {
      throttlingRateLimit: c.throttlingRateLimit,
      throttlingBurstLimit: c.throttlingBurstLimit,
    },
    distributed: {
      shardSize: c.shardSize,
      maxConcurrency: c.mapMaxConcurrency,
      maxIds: c.maxDistributedIds,
      resultsRetention:
        c.resultsRetentionDays === undefined ? undefined : Duration.days(c.resultsRetentionDays),
    },
    schedules: c.schedules,
    alarms: {
      alarmEmail: c.alarmEmail,
      successRateThreshold: c.successRateThreshold,
      newlyUnexpectedThreshold: c.newlyUnexpectedThreshold,
      sweepLateness:
        c.sweepLatenessMinutes === undefined ? undefined : Duration.minutes(c.sweepLatenessMinutes),
    },
  };
}
