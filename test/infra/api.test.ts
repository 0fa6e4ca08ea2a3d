import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS } from '../../infra/constructs/sweep-api.js';
import { SweepStack } from '../../infra/sweep-stack.js';
import { onlyResource, synthTemplate, templateApp } from './support/synth.js';

describe('the HTTP API', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate();
  });

  it('routes POST and GET /sweeps to the sweep function, GET /sweeps/{id} to the runs function, all with IAM auth', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    /** The construct (`Function` or `Runs`) whose function a route's integration invokes. */
    const target = (integrationRef: string): string => {
      const uri = JSON.stringify(integrations[integrationRef]?.Properties.IntegrationUri);
      return uri.match(/"(Function|Runs)Handler\w+"/)?.[1] ?? uri;
    };
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) =>
        (
          r as {
            Properties: { RouteKey: string; AuthorizationType: string; Target: unknown };
          }
        ).Properties,
    );
    const described = routes.map((r) => {
      const ref = JSON.stringify(r.Target).match(/"Ref":"(\w+)"/)?.[1] ?? '';
      return [r.RouteKey, r.AuthorizationType, target(ref)];
    });
    expect(described.sort()).toEqual([
      ['GET /sweeps', 'AWS_IAM', 'Function'],
      ['GET /sweeps/{id}', 'AWS_IAM', 'Runs'],
      ['POST /sweeps', 'AWS_IAM', 'Function'],
    ]);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('throttles the $default stage at 10 requests per second with bursts of 20 by default', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
  });

  it('takes the throttling limits from props', () => {
    const custom = synthTemplate({ api: { throttlingRateLimit: 2, throttlingBurstLimit: 5 } });
    custom.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 },
    });
  });

  it('writes one JSON access log line per request, with the request id, to a 30-day log group', () => {
    const stage = onlyResource(template, 'AWS::ApiGatewayV2::Stage') as {
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    };
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
      integrationError: '$context.integrationErrorMessage',
    });
    const [logGroupId] = stage.AccessLogSettings.DestinationArn['Fn::GetAtt'];
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties).toEqual({
      RetentionInDays: 30,
    });
  });

  it('exposes the invoke URL as a stack output', () => {
    template.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          Match.arrayWith(['https://', Match.objectLike({ Ref: Match.anyValue() })]),
        ],
      },
    });
  });

  it('grants a caller execute-api:Invoke on exactly the three sweep routes', () => {
    const app = templateApp();
    const stack = new SweepStack(app, 'StatusSweep');
    const caller = new Role(stack, 'Caller', { assumedBy: new AccountRootPrincipal() });

    stack.api.grantInvoke(caller);

    const policy = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(caller.node.defaultChild as CfnElement) }] },
    });
    const statements = Object.values(policy).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string; Resource: unknown }>,
    );
    const granted = statements.map((st) => [
      st.Action,
      JSON.stringify(st.Resource).match(/\/\*\/\w+\/sweeps(\/\*)?"/)?.[0],
    ]);
    expect(granted.sort()).toEqual([
      ['execute-api:Invoke', '/*/GET/sweeps"'],
      ['execute-api:Invoke', '/*/GET/sweeps/*"'],
      ['execute-api:Invoke', '/*/POST/sweeps"'],
    ]);
  });
});
