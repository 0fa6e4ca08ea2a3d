import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { type Alarm, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { alarmOnAny } from './alarm-shapes.js';

/** AWS service metrics arrive every minute they have something to count; 5 minutes smooths them. */
const SERVICE_PERIOD = Duration.minutes(5);

export interface ServiceAlarmsProps {
  /** The sweep function. */
  readonly handler: IFunction;
  /** The runs function (GET /sweeps/{id}, the distributed reduce). */
  readonly runsHandler: IFunction;
  readonly deadLetterQueue: IQueue;
  /** The HTTP API's stage. */
  readonly stage: IHttpStage;
  /** The distributed-sweep state machine. @default - no executions alarm */
  readonly stateMachine?: IStateMachine;
}

/**
 * The blind spots sweep metrics cannot show, created in `scope`: function errors and throttles,
 * dead letters, API 5xx, distributed executions that did not succeed.
 */
export function serviceAlarms(scope: Construct, props: ServiceAlarmsProps): Alarm[] {
  const { handler, runsHandler, stateMachine } = props;
  const sum = { period: SERVICE_PERIOD, statistic: 'Sum' };
  const alarms = [
    alarmOnAny(
      scope,
      'FunctionErrors',
      handler.metricErrors(sum),
      'The sweep function failed (bad scheduled input, crash or timeout).',
    ),
    alarmOnAny(
      scope,
      'RunsErrors',
      runsHandler.metricErrors(sum),
      'The runs function failed (GET /sweeps/{id} or the reduce step of a distributed sweep).',
    ),
    alarmOnAny(
      scope,
      'FunctionThrottles',
      handler.metricThrottles(sum),
      'The sweep function was throttled: a sweep started late or not at all.',
    ),
    alarmOnAny(
      scope,
      'RunsThrottles',
      runsHandler.metricThrottles(sum),
      'The runs function was throttled.',
    ),
    alarmOnAny(
      scope,
      'DeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: SERVICE_PERIOD,
        statistic: 'Maximum',
      }),
      'Invocations that failed or could not be delivered are waiting in the dead-letter queue.',
    ),
    alarmOnAny(
      scope,
      'ApiServerErrors',
      props.stage.metricServerError(sum),
      'The HTTP API answered 5xx (function error, throttling or timeout behind it).',
    ),
  ];
  if (stateMachine !== undefined) {
    // Each metric exists only in periods with such executions: FILL makes the sum defined.
    alarms.push(
      alarmOnAny(
        scope,
        'ExecutionsFailed',
        new MathExpression({
          expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
          usingMetrics: {
            failed: stateMachine.metricFailed(sum),
            timedOut: stateMachine.metricTimedOut(sum),
            aborted: stateMachine.metricAborted(sum),
          },
          period: SERVICE_PERIOD,
          label: 'executions failed, timed out or aborted',
        }),
        'A distributed sweep execution failed, timed out or was aborted: it has no merged result.',
      ),
    );
  }
  return alarms;
}
