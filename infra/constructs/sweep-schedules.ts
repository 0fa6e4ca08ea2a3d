import {
  type CfnElement,
  Duration,
  RemovalPolicy,
  Stack,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmAfter } from '../../lambda/ground/alarm-after.js';
import { InvalidRequestError } from '../../lambda/ground/errors.js';
import type { ExpectRule } from '../../lambda/ground/expect-rules.js';
import type { MuteWindow } from '../../lambda/ground/mute.js';
import type { SweepRequestOptions } from '../../lambda/ground/options.js';
import { describeProblems } from '../../lambda/ground/validation.js';
import type { RequestParser } from '../../lambda/request/request.js';

/** One recurring sweep. */
export interface SweepScheduleSpec {
  /** Names the schedule and is sent as the request's `schedule` field. 1-64 of A-Z a-z 0-9 . - _ */
  readonly name: string;
  /** The target it sweeps, sent as the request's `target`. @default - the first target */
  readonly target?: string;
  /** `rate(15 minutes)` or `cron(0 6 * * ? *)`. */
  readonly expression: string;
  /** IANA time zone for cron expressions. @default - UTC */
  readonly timeZone?: string;
  /** First id swept (inclusive). */
  readonly start: number;
  /** Last id swept (inclusive). */
  readonly end: number;
  /** Concurrency, timeouts, retries… for this sweep. @default - the handler's defaults */
  readonly options?: Partial<SweepRequestOptions>;
  /** What each id should answer, sent as the request's `expect`. @default - the function's EXPECT */
  readonly expect?: readonly ExpectRule[];
  /** @default - true */
  readonly enabled?: boolean;
  /**
   * Recurring windows (`{"cron": "0 2 ? * SUN *", "minutes": 120, "timeZone": "Europe/Paris"}`)
   * whose sweeps still run and are kept, but whose events say `muted`: routed notifications skip
   * them. @default - none
   */
  readonly mute?: readonly MuteWindow[];
  /**
   * How many of its recent sweeps must fail before its Failed alarm fires: `{"sweeps": 2, "of":
   * 3}` alarms when at least 2 of the last 3 failed, at any cadence. @default - 1 of 1
   */
  readonly alarmAfter?: AlarmAfter;
}

export interface SweepSchedulesProps {
  readonly handler: IFunction;
  /**
   * The function's own request parser: each schedule's input is checked by it at synth (range,
   * limits, every option, expect), so a bad schedule fails synth instead of every sweep.
   */
  readonly requests: RequestParser;
  readonly schedules: readonly SweepScheduleSpec[];
  /** Where invocations Scheduler could not deliver are sent. */
  readonly deadLetterQueue: IQueue;
  /**
   * How often Scheduler retries an invocation Lambda refused (throttled, unavailable). A retry
   * means the sweep never started, so it cannot add load on the target.
   * @default - 2 retries
   */
  readonly retryAttempts?: number;
  /** How long Scheduler keeps trying to deliver one invocation. @default - 1 hour */
  readonly maxEventAge?: Duration;
}

const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const CRON = /^cron\(.+\)$/;
/** Recurring schedules only: a one-time `at()` sweep would leave a missed-sweep alarm firing. */
const RECURRING = (expression: string): boolean => RATE.test(expression) || CRON.test(expression);

/**
 * EventBridge Scheduler schedules that invoke the sweep function asynchronously, each with the
 * sweep request plus `"schedule": name` as its input, in a schedule group of their own.
 */
export class SweepSchedules extends Construct {
  readonly group: ScheduleGroup;
  /** The role Scheduler assumes to invoke the function and reach the dead-letter queue. */
  readonly role: Role;
  readonly schedules: readonly Schedule[];

  constructor(scope: Construct, id: string, props: SweepSchedulesProps) {
    super(scope, id);
    for (const spec of props.schedules) validate(spec, props.requests);
    // The group holds only these schedules: nothing to keep once the stack is gone.
    this.group = new ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.group.scheduleGroupArn,
          },
        },
      }),
    });
    const functionArn = Stack.of(this).getLogicalId(props.handler.node.defaultChild as CfnElement);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionArn}.Arn>:*]`,
      reason: 'The Lambda grant also covers versions and aliases of this one function (ARN:*).',
    });
    const target = (spec: SweepScheduleSpec): LambdaInvoke =>
      new LambdaInvoke(props.handler, {
        role: this.role,
        input: ScheduleTargetInput.fromObject(scheduleInput(spec)),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: props.retryAttempts ?? 2,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
      });
    this.schedules = props.schedules.map(
      (spec) =>
        // The id is the schedule's name: renaming a schedule replaces it, nothing else does.
        new Schedule(this, spec.name, {
          scheduleName: spec.name,
          scheduleGroup: this.group,
          description: `Sweeps ids ${spec.start}-${spec.end}`,
          schedule: ScheduleExpression.expression(
            spec.expression,
            spec.timeZone === undefined ? undefined : TimeZone.of(spec.timeZone),
          ),
          target: target(spec),
          enabled: spec.enabled ?? true,
        }),
    );
  }
}

/** The event the function receives: the sweep request as-is, plus the schedule's name. */
export function scheduleInput(spec: SweepScheduleSpec): Record<string, unknown> {
  return {
    start: spec.start,
    end: spec.end,
    ...spec.options,
    ...(spec.expect !== undefined && { expect: spec.expect }),
    ...(spec.target !== undefined && { target: spec.target }),
    ...(spec.mute !== undefined && spec.mute.length > 0 && { mute: spec.mute }),
    ...(spec.alarmAfter !== undefined && { alarmAfter: spec.alarmAfter }),
    schedule: spec.name,
  };
}

/** The expression here; the input through the function's own parser, as each invocation would. */
function validate(spec: SweepScheduleSpec, requests: RequestParser): void {
  const problems: string[] = [];
  if (!RECURRING(spec.expression)) {
    problems.push(
      `expression must be "rate(N minutes|hours|days)" or "cron(...)", got ${JSON.stringify(spec.expression)}`,
    );
  }
  try {
    requests.fromEvent(scheduleInput(spec));
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    const { details } = error;
    problems.push(Object.keys(details).length > 0 ? describeProblems(details) : error.message);
  }
  if (problems.length > 0) {
    throw new Error(`schedule ${JSON.stringify(spec.name)}: ${problems.join('; ')}`);
  }
}
