/**
 * `npx status-sweep` / `npm start`: one sweep through the deployed handler in this process, or
 * through your deployed API with --api URL, printed for people (or as JSON, JUnit or Markdown),
 * with an exit code CI can use. Every mistake is refused here, in one line, before anything runs;
 * the sweep's own modules load only then (a bad setting never reaches their cold-start checks).
 */
import packageJson from '../package.json' with { type: 'json' };
import { loadBaseline } from './baseline.js';
import { type CliOptions, parseCli, UsageError } from './cli-args.js';
import { checkLocal, checkOutputs, headersFrom } from './cli-check.js';
import { ExitCode, helpText } from './cli-flags.js';
import { say } from './cli-report.js';
import { printPlan, withTargets } from './cli-targets.js';
import { claimStdout } from './stdout.js';

/** The Lambda runtime's Node major (nodejs24.x): older ones get a warning. */
const RUNTIME_NODE_MAJOR = 24;
/** Flags that only mean something for a sweep in this process. */
const LOCAL_ONLY = ['target', 'metrics', 'header', 'headers-file', 'out'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Runs the CLI; resolves to its exit code. */
async function main(argv: readonly string[], env: Env = process.env): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    return await run(argv, env);
  } catch (error) {
    if (error instanceof UsageError) {
      say(`status-sweep: ${error.message}`);
      if (debug && error.cause instanceof Error) say(String(error.cause.stack));
      return ExitCode.usage;
    }
    const stack = (error as Error)?.stack;
    say(`status-sweep: ${error instanceof Error ? error.message : String(error)}`);
    say(debug && stack ? stack : '(--debug shows where)');
    return ExitCode.failed;
  }
}

async function run(argv: readonly string[], given: Env): Promise<number> {
  if (argv[0] === 'config') return printPlan(argv.slice(1));
  const { cli, env } = withTargets(parseCli(argv), given);
  if (cli.flags.help) {
    process.stdout.write(helpText());
    return ExitCode.ok;
  }
  if (cli.flags.version) {
    process.stdout.write(`status-sweep ${packageJson.version}\n`);
    return ExitCode.ok;
  }
  warnOnOldNode();
  checkOutputs(cli.flags);
  const baseline = await loadBaseline(cli.flags.baseline).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  if (cli.apiUrl) return deployed(cli, cli.apiUrl, env, baseline);
  const plan = checkLocal(cli, env);
  const headers = headersFrom(cli.flags);
  // The handler module reads the environment once as it loads: it sees the checked settings.
  Object.assign(process.env, env);
  process.env.TARGET_URL_TEMPLATE = plan.config.targetUrlTemplate;
  process.env.METRICS_MODE = plan.config.metricsMode;
  const { sweepHere } = await import('./cli-local.js');
  return sweepHere(cli, plan, { env, baseline, headers, writeResult: claimStdout() });
}

async function deployed(
  cli: CliOptions,
  apiUrl: URL,
  env: Env,
  baseline: Awaited<ReturnType<typeof loadBaseline>>,
): Promise<number> {
  const local = LOCAL_ONLY.filter((flag) => cli.flags[flag] !== undefined);
  if (local.length > 0) {
    throw new UsageError(
      `--${local[0]} is for local sweeps: the deployed stack's target, headers and metrics are fixed at deploy time`,
    );
  }
  const { sweepDeployed } = await import('./api-client.js');
  return sweepDeployed(cli, apiUrl, { env, baseline, writeResult: claimStdout() });
}

function warnOnOldNode(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= RUNTIME_NODE_MAJOR) return;
  say(
    `status-sweep: warning: running on Node ${process.versions.node}; the Lambda runtime is Node ${RUNTIME_NODE_MAJOR}. Run \`npm ci\` (without --ignore-scripts) and use \`npx status-sweep\` or \`npm start\`, which run the Node ${RUNTIME_NODE_MAJOR} it installs (README, Troubleshooting).`,
  );
}

// A snapshot: the checked settings are written back to process.env before the handler loads.
process.exitCode = await main(process.argv.slice(2), { ...process.env });
