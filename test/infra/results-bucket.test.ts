import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINES_PREFIX } from '../../lambda/baseline/store.js';
import { onlyResource, synthTemplate } from './support/synth.js';

describe('the results bucket', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({ distributed: { resultsRetentionDays: 7 } });
  });

  it('is private, encrypted with S3-managed keys and expires results after the retention', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireResults', Prefix: 'results/', ExpirationInDays: 7, Status: 'Enabled' },
          {
            Id: 'ExpireMapResults',
            Prefix: 'map-results/',
            ExpirationInDays: 7,
            Status: 'Enabled',
          },
          {
            Id: 'AbortIncompleteUploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          },
        ],
      },
    });
  });

  it("keeps schedules' baselines: no rule expires baselines/", () => {
    const { Rules: rules } = (
      onlyResource(template, 'AWS::S3::Bucket') as {
        LifecycleConfiguration: {
          Rules: Array<{ Prefix?: string; ExpirationInDays?: number }>;
        };
      }
    ).LifecycleConfiguration;
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined);

    expect(expiring.length).toBeGreaterThan(0);
    for (const rule of expiring) {
      expect(rule.Prefix).toBeDefined();
      expect(`${BASELINES_PREFIX}nightly.json`.startsWith(rule.Prefix ?? '')).toBe(false);
    }
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is kept when the stack is deleted, its objects expiring on their own', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});
