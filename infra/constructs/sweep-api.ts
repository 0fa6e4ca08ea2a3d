import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RUN_PATH, SWEEPS_METHODS, SWEEPS_PATH } from '../../lambda/contract/routes.js';

/**
 * One JSON object per request, from HTTP API's `$context` variables.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.userArn',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
} as const;

export interface SweepApiProps {
  /** The function behind `POST /sweeps` and `GET /sweeps`. */
  readonly handler: IFunction;
  /** The function behind `GET /sweeps/{id}` (distributed sweeps). */
  readonly runsHandler: IFunction;
  /**
   * Who may call the routes.
   * @default - AWS IAM (SigV4-signed requests from principals allowed `execute-api:Invoke`)
   */
  readonly authorizer?: IHttpRouteAuthorizer;
  /** Steady-state requests per second across the stage. @default - 10 requests per second */
  readonly throttlingRateLimit?: number;
  /** Burst of requests the stage absorbs above the rate. @default - 20 requests */
  readonly throttlingBurstLimit?: number;
  /** How long access logs are kept. @default - 30 days */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * An HTTP API in front of the sweep function (and the runs function for `GET /sweeps/{id}`):
 * IAM-authorized by default, throttled, with JSON access logs. Each sweep runs up to 28 s because
 * API Gateway cuts integrations at 30 s.
 */
export class SweepApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  /** `POST /sweeps`, `GET /sweeps` and `GET /sweeps/{id}`. */
  readonly routes: readonly HttpRoute[];

  constructor(scope: Construct, id: string, props: SweepApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Status Sweep: sweeps an id range of the configured target',
      // Our stage below carries throttling and access logs, so no implicit default stage.
      createDefaultStage: false,
      defaultAuthorizer: props.authorizer ?? new HttpIamAuthorizer(),
    });
    this.routes = [
      ...this.httpApi.addRoutes({
        path: SWEEPS_PATH,
        methods: SWEEPS_METHODS.map((method) => HttpMethod[method]),
        integration: new HttpLambdaIntegration('SweepIntegration', props.handler),
      }),
      ...this.httpApi.addRoutes({
        path: RUN_PATH,
        methods: [HttpMethod.GET],
        integration: new HttpLambdaIntegration('RunsIntegration', props.runsHandler),
      }),
    ];

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttlingRateLimit ?? 10,
        burstLimit: props.throttlingBurstLimit ?? 20,
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  /** The invoke URL of the stage, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/`. */
  get url(): string {
    return this.stage.url;
  }

  /** Lets `grantee` call the sweep routes with SigV4-signed requests (IAM authorization). */
  grantInvoke(grantee: IGrantable): Grant {
    const [first, ...rest] = this.routes.map((route) => route.grantInvoke(grantee));
    return rest.reduce(
      (all, grant) => all.combine(grant),
      first ?? Grant.drop(grantee, 'no routes'),
    );
  }
}
