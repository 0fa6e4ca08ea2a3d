import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { sweepStackPropsFromContext, warnDeprecatedContext } from '../../infra/context.js';

const fromContext = (context: Record<string, unknown>) =>
  sweepStackPropsFromContext(new App({ context }).node);

describe('settings from CDK context', () => {
  it('parses -c values, which arrive as strings, into stack props', () => {
    const props = fromContext({
      targetUrlTemplate: 'https://status.example.com/{id}',
      maxConcurrency: '64',
      timeoutMs: '90000',
      throttlingRateLimit: '5',
      schedules: '[{"name":"nightly","expression":"cron(0 2 * * ? *)","start":1,"end":500}]',
      alarmEmail: 'oncall@example.com',
      successRateThreshold: '99',
      sweepLatenessMs: '1200000',
    });
    expect(props.function).toMatchObject({
      targetUrlTemplate: 'https://status.example.com/{id}',
      maxConcurrency: 64,
      timeoutMs: 90_000,
    });
    expect(props.api).toMatchObject({ throttlingRateLimit: 5 });
    expect(props.schedules).toEqual([
      { name: 'nightly', expression: 'cron(0 2 * * ? *)', start: 1, end: 500 },
    ]);
    expect(props.alarms).toMatchObject({
      alarmEmail: 'oncall@example.com',
      successRateThreshold: 99,
      sweepLatenessMs: 1_200_000,
    });
  });

  it('parses the distributed-sweep settings: shard size, Map concurrency, largest range, retention', () => {
    const props = fromContext({
      shardSize: '5000',
      shardMaxConcurrency: '4',
      maxDistributedIds: '200000',
      resultsRetentionDays: '7',
    });
    expect(props.distributed).toEqual({
      shardSize: 5000,
      shardMaxConcurrency: 4,
      maxDistributedIds: 200_000,
      resultsRetentionDays: 7,
    });
  });

  it('takes the request shape: the method and the headers secret by name or ARN', () => {
    const props = fromContext({ targetMethod: 'HEAD', targetHeadersSecret: 'sweep/headers' });

    expect(props.function).toMatchObject({
      targetMethod: 'HEAD',
      targetHeadersSecret: 'sweep/headers',
    });
  });

  it('takes schedules as a JSON array from cdk.json', () => {
    const schedules = [{ name: 'kanto', expression: 'rate(1 hour)', start: 1, end: 151 }];
    expect(fromContext({ schedules }).schedules).toEqual(schedules);
  });

  it('parses the expectations (JSON, or a JSON string from -c) and the verdict thresholds', () => {
    const rules = [
      { ids: '1-1025', statuses: ['2xx'] },
      { ids: '1026-', statuses: [404] },
    ];

    const props = fromContext({
      expect: JSON.stringify(rules),
      verdictFailedBelowPercent: '99.5',
      verdictMaxP95Ms: '2000',
      schedules: [{ name: 'kanto', expression: 'rate(1 hour)', start: 1, end: 151, expect: rules }],
    });

    expect(props.function).toMatchObject({
      expect: rules,
      verdictFailedBelowPercent: 99.5,
      verdictMaxP95Ms: 2000,
    });
    expect(props.schedules?.[0]?.expect).toEqual(rules);
  });

  it('leaves every setting to its construct default when the context is empty', () => {
    const props = fromContext({});
    expect(props.schedules).toBeUndefined();
    expect(Object.values(props.function ?? {}).every((v) => v === undefined)).toBe(true);
    expect(Object.values(props.distributed ?? {}).every((v) => v === undefined)).toBe(true);
  });

  it.each([
    [{ maxConcurrency: 'lots' }, /maxConcurrency/],
    [{ targetMethod: 'POST' }, /targetMethod: .*got "POST"/],
    [{ shardMaxConcurrency: '-1' }, /shardMaxConcurrency: .*got "-1"/],
    [{ mapMaxConcurrency: '-1' }, /mapMaxConcurrency: .*got "-1"/],
    [{ timeoutMs: '1500' }, /timeoutMs: must be whole seconds/],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail: .*got "not-an-address"/],
    [{ schedules: '[{"name":"x","expression":"rate(1 hour)","start":1}]' }, /schedules\.0\.end/],
    [
      { schedules: '[{"name":"x","expression":"rate(1 hour)","start":1,"end":2,"every":3}]' },
      /every/,
    ],
    [{ expect: '{"statuses":[200]}' }, /expect: must be a JSON array of rules/],
  ])('refuses %j, naming the key', (context, message) => {
    expect(() => fromContext(context)).toThrow(message);
  });
});

describe('renamed context keys', () => {
  it.each([
    ['timeoutSeconds', '90', 'timeoutMs', { function: { timeoutMs: 90_000 } }],
    ['sweepLatenessMinutes', '20', 'sweepLatenessMs', { alarms: { sweepLatenessMs: 1_200_000 } }],
    ['mapMaxConcurrency', '4', 'shardMaxConcurrency', { distributed: { shardMaxConcurrency: 4 } }],
  ])('still take %s (%s), as %s, and warn at synth naming it', (old, value, successor, props) => {
    const app = new App({ context: { [old]: value } });
    const stack = new Stack(app, 'Settings');

    warnDeprecatedContext(stack);

    expect(sweepStackPropsFromContext(app.node)).toMatchObject(props);
    Annotations.fromStack(stack).hasWarning(
      '/Settings',
      Match.stringLikeRegexp(`"${old}" is deprecated: use "${successor}"`),
    );
  });

  it('let the successor win when both are set, and warn about nothing when only it is', () => {
    const app = new App({ context: { timeoutMs: '30000', timeoutSeconds: '90' } });
    expect(sweepStackPropsFromContext(app.node).function).toMatchObject({ timeoutMs: 30_000 });

    const current = new Stack(new App({ context: { timeoutMs: '30000' } }), 'Current');
    warnDeprecatedContext(current);
    Annotations.fromStack(current).hasNoWarning('*', Match.anyValue());
  });
});
