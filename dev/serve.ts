/**
 * `npm run serve`: the handler behind a local HTTP endpoint with the deployed routes
 * (POST /sweeps, GET /sweeps, and GET /sweeps/{id} for local distributed runs), as API
 * Gateway's HTTP API would call it. POST /invoke stands in for `aws lambda invoke` (a schedule's
 * input): schedules' baselines are kept in a local folder (--baselines).
 */
import { parseArgs } from 'node:util';
import { closest } from '../lambda/ground/closest.js';
import { type Config, loadConfig } from '../lambda/ground/config.js';
import { errorText } from '../lambda/ground/error-line.js';
import { MetricsMode } from '../lambda/ground/settings.js';
import { configFileFor, withConfigEnv } from './cli-config.js';
import { DEFAULT_BASELINES_DIR, folderStore } from './folder-store.js';
import { type LocalApi, startLocalApi } from './local-api.js';
import { INVOKE_PATH, withLocalInvoke } from './local-invoke.js';
import { MAP_PATH, withLocalMaps } from './local-maps.js';
import { withLocalRuns } from './local-runs-api.js';
import { resolveTarget } from './target.js';

const USAGE = `usage: npm run serve -- [--port 3000] [--host 127.0.0.1] [--target URL_WITH_{id}] [--metrics local|cloudwatch|emf|off]
                        [--baselines ${DEFAULT_BASELINES_DIR}] [--config status-sweep.config.json]
  --config serves every target of the file: a request names its "target".
  SCHEDULE_NAMES=a,b names the schedules whose baselines "compareWith" may read.`;

const SERVE_FLAGS = ['port', 'host', 'target', 'metrics', 'baselines', 'config', 'help'];

async function main(): Promise<void> {
  let values: {
    port?: string;
    host?: string;
    target?: string;
    metrics?: string;
    baselines?: string;
    config?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '3000' },
        host: { type: 'string', default: '127.0.0.1' },
        target: { type: 'string' },
        metrics: { type: 'string' },
        baselines: { type: 'string', default: DEFAULT_BASELINES_DIR },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    const unknown = /Unknown option '--([^']+)'/.exec((error as Error).message)?.[1];
    const guess = unknown && closest(unknown, SERVE_FLAGS);
    fail(
      unknown
        ? `unknown flag --${unknown}${guess ? ` (did you mean --${guess}?)` : ''}`
        : (error as Error).message,
    );
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail(`--port must be 0..65535, got "${values.port}"`);

  const env = withConfigFile(values.config, values.target);
  const target = await resolveTarget(values.target, env);
  let config: Config;
  try {
    // Local sweeps never publish to the shell's AWS account unless asked to.
    const metrics = values.metrics ?? process.env.METRICS_MODE ?? MetricsMode.local;
    config = loadConfig({
      ...env,
      TARGET_URL_TEMPLATE: target.urlTemplate,
      METRICS_MODE: metrics,
    });
  } catch (error) {
    await target.close();
    fail((error as Error).message);
  }
  const baselines = values.baselines ?? DEFAULT_BASELINES_DIR;
  // The handler module reads the environment as it loads: it sees the settings checked above.
  Object.assign(process.env, env);
  process.env.TARGET_URL_TEMPLATE = config.targetUrlTemplate;
  process.env.METRICS_MODE = config.metricsMode;
  const { createHandlers } = await import('../lambda/entry/handler.js');
  const { localRuns } = await import('./local-runs.js');
  const store = folderStore(baselines);
  const runs = localRuns(config, { baselines: store });
  const { dispatch, invoke } = createHandlers(config, { baselines: store, runs });
  const handler = withLocalMaps(withLocalInvoke(withLocalRuns(dispatch, runs), invoke));
  let api: LocalApi;
  try {
    api = await startLocalApi({ handler, port, host: values.host });
  } catch (error) {
    await target.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    const why = code === 'EADDRINUSE' ? 'is in use' : 'needs privileges';
    console.error(
      `status-sweep: port ${port} on ${values.host} ${why}; choose another with --port N (0 picks a free one)`,
    );
    process.exit(1);
  }
  console.error(`status-sweep listening on ${api.url}, sweeping ${target.description}`);
  console.error(
    `try: curl -X POST ${api.url}/sweeps -H 'content-type: application/json' -d '{"start":1,"end":100}'`,
  );
  console.error(
    `a schedule's sweep: curl -X POST ${api.url}${INVOKE_PATH} -H 'content-type: application/json' -d '{"start":1,"end":100,"schedule":"nightly"}' (baselines in ${baselines})`,
  );
  console.error(`a sweep's id map: ${api.url}${MAP_PATH} (open it in a browser)`);
  const stop = async () => {
    await api.close();
    await target.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The environment with --config's settings over it (every target of the file), or as it is. */
function withConfigFile(
  file: string | undefined,
  target: string | undefined,
): Readonly<Record<string, string | undefined>> {
  if (file === undefined) return process.env;
  if (target !== undefined)
    fail('--target and --config: with --config, a request names its target');
  try {
    return withConfigEnv(process.env, configFileFor(file));
  } catch (error) {
    fail((error as Error).message);
  }
}

function fail(message: string): never {
  console.error(`status-sweep: ${message}\n${USAGE}`);
  process.exit(2);
}

try {
  await main();
} catch (error) {
  // A failure before listening (the target, the handler's cold start): one line, no stack.
  console.error(`status-sweep: ${errorText(error)}`);
  process.exit(1);
}
