import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable, type Role } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BASELINES_PREFIX } from '../../lambda/baseline/store.js';

/** Where the Distributed Map's ResultWriter puts the shard aggregates of each run. */
export const MAP_RESULTS_PREFIX = 'map-results/';
/** Where the runs function keeps merged results too large for a state's payload. */
export const RESULTS_PREFIX = 'results/';

export interface ResultsBucketProps {
  /**
   * Shard aggregates (`map-results/`) and merged results (`results/`) are deleted this long after
   * they are written; schedules' baselines (`baselines/`) are kept while their schedule is.
   * @default - 30 days
   */
  readonly retention?: Duration;
}

/**
 * The distributed sweeps' results and the schedules' baselines: private, encrypted with
 * S3-managed keys, TLS only. Results expire; a baseline never does, since a schedule whose gap
 * outlived an expiry would lose it, and with it every NewlyUnexpected alarm. Kept when the stack
 * is deleted (RETAIN, CloudFormation's default for buckets): deleting it would need a
 * custom-resource Lambda to empty it first.
 */
export class ResultsBucket extends Construct {
  readonly bucket: Bucket;
  /** Every lifecycle rule of the bucket, as added through addLifecycleRule. */
  private readonly rules: LifecycleRule[] = [];

  constructor(scope: Construct, id: string, props: ResultsBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const retention = props.retention ?? Duration.days(30);
    this.addLifecycleRule({ id: 'ExpireResults', prefix: RESULTS_PREFIX, expiration: retention });
    this.addLifecycleRule({
      id: 'ExpireMapResults',
      prefix: MAP_RESULTS_PREFIX,
      expiration: retention,
    });
    // ResultWriter writes in multipart uploads; a failed run must not leave parts billed forever.
    this.addLifecycleRule({
      id: 'AbortIncompleteUploads',
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only this stack writes here (state machine, runs function); CloudTrail covers access, a log bucket would need S1 itself.',
    });
  }

  /** Adds a lifecycle rule to the bucket; expiryOf sees it. */
  addLifecycleRule(rule: LifecycleRule): void {
    this.rules.push(rule);
    this.bucket.addLifecycleRule(rule);
  }

  /** The soonest expiration any rule applies to `key` (a rule without a prefix covers all). */
  expiryOf(key: string): Duration | undefined {
    const days = this.rules
      // A rule filtered by tags never meets a baseline: the functions write them untagged.
      .filter((rule) => rule.expiration && !rule.tagFilters && key.startsWith(rule.prefix ?? ''))
      .map((rule) => rule.expiration?.toDays() ?? Number.POSITIVE_INFINITY);
    return days.length === 0 ? undefined : Duration.days(Math.min(...days));
  }

  /**
   * Lets a function (`grantee`, with its `role`) get and put schedules' baselines by key
   * (`baselines/*`) and nothing else: no bucket-level List, so it cannot enumerate results. S3
   * then answers a missing baseline 403 rather than 404, which the store reads as none; the
   * conditional write keeps an existing one safe all the same.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
   */
  grantBaselines(grantee: IGrantable, role: Role): void {
    const pattern = `${BASELINES_PREFIX}*`;
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject'],
      resourceArns: [this.bucket.arnForObjects(pattern)],
    });
    const bucketArn = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${bucketArn}/${pattern}]`,
      reason:
        'Baselines are one object per schedule under baselines/ of the one results bucket; the grant covers that prefix only.',
    });
  }
}
