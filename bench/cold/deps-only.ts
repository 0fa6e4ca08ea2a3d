/**
 * The runtime dependencies of the handler without our code: undici's Pool (imported from the
 * same module the engine uses), the CloudWatch client and middy core, each used (a bare import
 * would be tree-shaken away), bundled like the real handler.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import middy from '@middy/core';
import { createPool } from '../../lambda/sweep/pool.js';

/** As in lambda/metrics/cloudwatch.ts, the client is created at module scope. */
const client = new CloudWatchClient({});

export const handler = middy(async () => ({
  statusCode: 200,
  body: JSON.stringify({
    pool: typeof createPool,
    client: typeof client,
    command: typeof PutMetricDataCommand,
  }),
}));
