import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/** What a finished CLI process left behind. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as users run it: the esbuild bundle on plain node, built once into a temp dir. */
export interface BuiltCli {
  readonly bundle: string;
  /** Runs it to the end; `env` is added to a clean environment (no AWS_*, no METRICS_MODE). */
  run(args: readonly string[], options?: CliOptions): Promise<CliRun>;
  remove(): void;
}

export interface CliOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Called with the process and its stderr so far, as stderr grows (to send signals). */
  readonly onStderr?: (child: ReturnType<typeof spawn>, stderr: string) => void;
  readonly timeoutMs?: number;
}

/** An onStderr that sends Ctrl-C (SIGINT) `delayMs` after stderr first shows `text`. */
export function ctrlCAfter(text: string, delayMs: number): NonNullable<CliOptions['onStderr']> {
  let sent = false;
  return (child, stderr) => {
    if (sent || !stderr.includes(text)) return;
    sent = true;
    setTimeout(() => child.kill('SIGINT'), delayMs);
  };
}

/** Builds dev/cli.ts with the project's own build script (the one `prepare` runs). */
export function buildCli(): BuiltCli {
  const dir = mkdtempSync(join(tmpdir(), 'status-sweep-cli-'));
  const bundle = join(dir, 'cli.mjs');
  execFileSync(process.execPath, [join(ROOT, 'dev/build-cli.mjs'), bundle], { cwd: ROOT });
  return {
    bundle,
    run: (args, options = {}) => runNode([bundle, ...args], options),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `node …args` from the repository root, never through npm: its own output is not ours. */
export function runNode(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [...args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    options.onStderr?.(child, stderr);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The parent's environment without what would change a local run's behaviour. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith('AWS_') &&
        !['METRICS_MODE', 'TARGET_URL_TEMPLATE', 'FORCE_TTY', 'MAX_IDS'].includes(name),
    ),
  );
}
