import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { CustomWidget, type Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BASELINES_PREFIX } from '../../lambda/baseline/store.js';
import { BUNDLES } from '../bundle-budget.js';
import { nodeFunction, REPO_ROOT } from './node-function.js';

/** The settings the widget function reads, under the names the sweep function reads them by. */
const WIDGET_SETTINGS = ['RESULTS_BUCKET', 'SCHEDULE_NAMES'] as const;

export interface IdMapWidgetsProps {
  /** Where the widgets go. */
  readonly dashboard: Dashboard;
  /** The results bucket holding schedules' baselines (`baselines/<schedule>.json`). */
  readonly bucket: IBucket;
  /** The sweep function's environment: the widget reads RESULTS_BUCKET and SCHEDULE_NAMES of it. */
  readonly environment: Readonly<Record<string, string>>;
  /** One widget per schedule, in this order. */
  readonly scheduleNames: readonly string[];
  /** @default - 1024 MB: a 1,000,000-id baseline (up to 32 MB of JSON) parses in well under a second */
  readonly memorySize?: number;
  /** @default - 10 s: a read is given 5 s at most, the map renders in well under one */
  readonly timeout?: Duration;
  /** How long the function's logs are kept. @default - 30 days */
  readonly logRetention?: RetentionDays;
}

/**
 * An id map of each schedule's latest sweep on the dashboard: a CloudWatch custom widget per
 * schedule, drawn by one small function that may read `baselines/*` of the results bucket and
 * nothing else (no bucket-level List: a missing baseline reads as 403 and is shown as "no sweep
 * yet"). Nothing is created without schedules: there would be no baseline to draw.
 */
export class IdMapWidgets extends Construct {
  readonly function?: IFunction;

  constructor(scope: Construct, id: string, props: IdMapWidgetsProps) {
    super(scope, id);
    if (props.scheduleNames.length === 0) return;
    const { function: fn, role } = nodeFunction(this, {
      entry: `${REPO_ROOT}${BUNDLES.widget.entry}`,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      logRetention: props.logRetention,
      environment: Object.fromEntries(
        WIDGET_SETTINGS.flatMap((name) => {
          const value = props.environment[name];
          return value === undefined ? [] : [[name, value]];
        }),
      ),
      description: 'Status Sweep: the id map custom widget (reads baselines/*)',
    });
    this.function = fn;
    const pattern = `${BASELINES_PREFIX}*`;
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['s3:GetObject'],
      resourceArns: [props.bucket.arnForObjects(pattern)],
    });
    const bucketArn = `<${Stack.of(this).getLogicalId(props.bucket.node.defaultChild as CfnElement)}.Arn>`;
    const acknowledge = (finding: string, reason: string) =>
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    acknowledge(
      `Resource::${bucketArn}/${pattern}`,
      'The widget reads schedules baselines, one object per schedule under baselines/; GetObject only.',
    );
    acknowledge('Resource::*', 'The X-Ray trace APIs take no resource ARN.');

    props.dashboard.addWidgets(
      ...props.scheduleNames.map(
        (schedule) =>
          new CustomWidget({
            title: `Id map: ${schedule} (its baseline)`,
            functionArn: fn.functionArn,
            params: { schedule },
            width: 24,
            height: 8,
            // The latest sweep is the same whatever the dashboard's time range; the SVG scales.
            updateOnTimeRangeChange: false,
            updateOnResize: false,
          }),
      ),
    );
  }
}
