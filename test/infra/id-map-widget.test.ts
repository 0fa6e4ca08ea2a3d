import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_ENVIRONMENT } from '../../infra/constructs/node-function.js';
import { dashboardBody, roleStatements, synthTemplate } from './support/synth.js';

const schedules = [
  { name: 'kanto', expression: 'rate(1 hour)', start: 1, end: 151 },
  { name: 'johto', expression: 'rate(1 day)', start: 152, end: 251, enabled: false },
];

/** The widget function (created under the stack-level construct `IdMap`), with its logical id. */
function widgetFunction(template: Template) {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) =>
    id.startsWith('IdMapHandler'),
  );
  return found.map(([id, resource]) => ({
    id,
    properties: (resource as { Properties: Record<string, unknown> }).Properties,
  }));
}

describe('the id map on the dashboard', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({ schedules });
  });

  it("shows a custom widget per schedule, drawn by the widget function with the schedule's name", () => {
    const [fn] = widgetFunction(template);

    const custom = dashboardBody(template).widgets.filter((w) => w.type === 'custom');

    expect(custom.map((w) => w.properties)).toEqual([
      expect.objectContaining({
        title: 'Id map: kanto (its baseline)',
        endpoint: '<ref>',
        params: { schedule: 'kanto' },
        updateOn: { refresh: true, resize: false, timeRange: false },
      }),
      expect.objectContaining({
        title: 'Id map: johto (its baseline)',
        params: { schedule: 'johto' },
      }),
    ]);
    expect(JSON.stringify(template.toJSON().Resources)).toContain(
      `{"Fn::GetAtt":["${fn?.id}","Arn"]}`,
    );
  });

  it('runs the widget on Node 24 arm64 with the bucket and schedule names only, and one malloc arena', () => {
    const [fn, ...others] = widgetFunction(template);

    expect(others).toHaveLength(0);
    expect(fn?.properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 10,
      Environment: {
        Variables: {
          RESULTS_BUCKET: { Ref: expect.stringMatching(/^ResultsBucket/) },
          SCHEDULE_NAMES: 'kanto,johto',
        },
      },
    });
    const environment = fn?.properties.Environment as { Variables?: object } | undefined;
    expect(Object.keys(environment?.Variables ?? {}).sort()).toEqual([
      'MALLOC_ARENA_MAX',
      'RESULTS_BUCKET',
      'SCHEDULE_NAMES',
    ]);
    expect(environment?.Variables).toMatchObject(PROCESS_ENVIRONMENT);
  });

  it('lets the widget read baselines/* and nothing else of the bucket, not even its key names', () => {
    const role = Object.keys(template.findResources('AWS::IAM::Role')).find((id) =>
      id.startsWith('IdMapRole'),
    );

    const s3 = roleStatements(template, role ?? '').filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('s3:')),
    );

    expect(s3).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': [
            '',
            [{ 'Fn::GetAtt': [expect.stringMatching(/^ResultsBucket/), 'Arn'] }, '/baselines/*'],
          ],
        },
      },
    ]);
  });
});

describe('without schedules', () => {
  it('deploys no widget and no widget function: there is no baseline to draw', () => {
    const template = synthTemplate({});

    expect(dashboardBody(template).widgets.filter((w) => w.type === 'custom')).toEqual([]);
    expect(widgetFunction(template)).toEqual([]);
  });
});
