/**
 * The runtime dependencies of the sweep function without our code, each used (a bare import would
 * be tree-shaken away) and bundled like the real handler: undici's Pool (from the module the engine
 * uses), the CloudWatch and Step Functions clients at module scope, the S3 client behind a dynamic
 * import (as lambda/baseline/lazy-s3-store.ts loads it), Powertools' SecretsProvider, valibot, and the middy
 * packages the handler composes.
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
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
const secrets = new SecretsProvider();
const schema = v.object({ start: v.number(), end: v.number() });

export const handler = middy()
  .use(httpHeaderNormalizer())
  .use(httpJsonBodyParser())
  .use(httpErrorHandler())
  .handler(async () => {
    const s3 = event.s3 ? await import('@aws-sdk/client-s3') : undefined;
    return {
      statusCode: 200,
      body: JSON.stringify({
        pool: typeof createPool,
        clients: [typeof cloudwatch, typeof sfn, typeof secrets, typeof s3?.S3Client],
        commands: [typeof PutMetricDataCommand, typeof StartExecutionCommand],
        router: typeof httpRouterHandler,
        parsed: v.safeParse(schema, { start: 1, end: 2 }).success,
      }),
    };
  });

/** Never set: the S3 import must stay reachable without running. */
const event: { readonly s3?: boolean } = {};
