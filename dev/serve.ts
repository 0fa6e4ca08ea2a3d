/**
 * `npm run serve`: the handler behind a local HTTP endpoint with the deployed routes
 * (POST /sweeps, GET /sweeps), as API Gateway's HTTP API would call it. POST /invoke stands in
 * for `aws lambda invoke` (a schedule's input): schedules' baselines are kept in a local folder.
 */
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { loadConfig } from '../lambda/config.js';
import { createHandlers } from '../lambda/handler.js';
import { DEFAULT_BASELINES_DIR, folderStore } from './folder-store.js';
import { startLocalApi } from './local-api.js';
import { resolveTarget } from './target.js';

const USAGE = `usage: npm run serve -- [--port 3000] [--host 127.0.0.1] [--target URL_WITH_{id}]
                        [--baselines ${DEFAULT_BASELINES_DIR}]
  SCHEDULE_NAMES=a,b names the schedules whose baselines "compareWith" may read.`;
/** The local stand-in for `aws lambda invoke`: the body is the function's event. */
const INVOKE_PATH = '/invoke';

async function main(): Promise<void> {
  let values: {
    port?: string;
    host?: string;
    target?: string;
    baselines?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '3000' },
        host: { type: 'string', default: '127.0.0.1' },
        target: { type: 'string' },
        baselines: { type: 'string', default: DEFAULT_BASELINES_DIR },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail(`--port must be 0..65535, got "${values.port}"`);

  const target = await resolveTarget(values.target, process.env);
  let handler: ReturnType<typeof createHandlers>['dispatch'];
  try {
    const { dispatch, invoke } = createHandlers(
      loadConfig({ ...process.env, TARGET_URL_TEMPLATE: target.urlTemplate }),
      { baselines: folderStore(values.baselines ?? DEFAULT_BASELINES_DIR) },
    );
    handler = (async (event: APIGatewayProxyEventV2, context: Context) =>
      event.rawPath === INVOKE_PATH && event.requestContext.http.method === 'POST'
        ? invoke(JSON.parse(bodyText(event)), context)
        : dispatch(event, context)) as typeof handler;
  } catch (error) {
    await target.close();
    fail((error as Error).message);
  }
  const api = await startLocalApi({ handler, port, host: values.host });
  console.error(`status-sweep listening on ${api.url}, sweeping ${target.description}`);
  console.error(
    `try: curl -X POST ${api.url}/sweeps -H 'content-type: application/json' -d '{"start":1,"end":100}'`,
  );
  console.error(
    `a schedule's sweep: curl -X POST ${api.url}${INVOKE_PATH} -d '{"start":1,"end":100,"schedule":"nightly"}' (baselines in ${values.baselines})`,
  );
  const stop = async () => {
    await api.close();
    await target.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The event's body as text, however the local API encoded it. */
function bodyText(event: APIGatewayProxyEventV2): string {
  const body = event.body ?? '{}';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

function fail(message: string): never {
  console.error(`status-sweep: ${message}\n${USAGE}`);
  process.exit(2);
}

await main();
