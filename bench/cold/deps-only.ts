/**
 * The runtime dependencies of the sweep function without our code, each used (a bare import would
 * be tree-shaken away) and bundled like the real handler: undici's Pool (from the module the engine
 * uses), the CloudWatch, EventBridge, Step Functions and Secrets Manager clients at module scope, the S3 client
 * behind a dynamic import (as lambda/baseline/lazy-s3-store.ts loads it), valibot, and the middy
 * packages the handler composes. test/infra/deps-only.test.ts keeps its packages the sweep
 * bundle's.
 */

import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import * as v from 'valibot';
import { createPool } from '../../lambda/sweep/pool.js';

const cloudwatch = new CloudWatchClient({});
const sfn = new SFNClient({});
const events = new EventBridgeClient({});
const secrets = new SecretsManagerClient({});
const schema = v.object({ start: v.number(), end: v.number() });

export const handler = middy()
  .use(httpHeaderNormalizer())
  .use(httpJsonBodyParser())
  .use(httpErrorHandler())
  .handler(async () => {
    const s3 = event.s3 ? await import('./deps-only-s3.js') : undefined;
    return {
      statusCode: 200,
      body: JSON.stringify({
        pool: typeof createPool,
        clients: [
          typeof cloudwatch,
          typeof events,
          typeof sfn,
          typeof secrets,
          typeof s3?.S3Client,
        ],
        s3: [s3?.GetObjectCommand, s3?.PutObjectCommand, s3?.NoSuchKey, s3?.S3ServiceException].map(
          (x) => typeof x,
        ),
        commands: [
          typeof PutMetricDataCommand,
          typeof PutEventsCommand,
          typeof StartExecutionCommand,
          typeof GetSecretValueCommand,
        ],
        router: typeof httpRouterHandler,
        parsed: v.safeParse(schema, { start: 1, end: 2 }).success,
      }),
    };
  });

/** Never set: the S3 import must stay reachable without running. */
const event: { readonly s3?: boolean } = {};
