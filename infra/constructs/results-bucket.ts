import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where the Distributed Map's ResultWriter puts the shard aggregates of each run. */
export const MAP_RESULTS_PREFIX = 'map-results/';
/** Where the runs function keeps merged results too large for a state's payload. */
export const RESULTS_PREFIX = 'results/';

export interface ResultsBucketProps {
  /** Objects (shard aggregates, merged results) are deleted this long after they are written. @default - 30 days */
  readonly retention?: Duration;
}

/**
 * The distributed sweeps' results: private, encrypted with S3-managed keys, TLS only, expiring.
 * Kept when the stack is deleted (RETAIN, CloudFormation's default for buckets): deleting it would
 * need a custom-resource Lambda to empty it first, and the objects expire on their own anyway.
 */
export class ResultsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ResultsBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ExpireResults',
          expiration: props.retention ?? Duration.days(30),
          // ResultWriter writes in multipart uploads; a failed run must not leave parts billed forever.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only this stack writes here (state machine, runs function); CloudTrail covers access, a log bucket would need S1 itself.',
    });
  }
}
