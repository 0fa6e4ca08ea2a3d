import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** The worker bundles (bench/.build) run on plain node: no tsx loader in what is measured. */
export const BUILD_DIR = join(import.meta.dirname, '..', '.build');

/**
 * The environment of every child: ours minus NODE_OPTIONS (tsx or a debugger must not leak into
 * what is measured), plus what the caller sets.
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _dropped, ...rest } = process.env;
  return { ...rest, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** A long-lived worker process answering jobs over IPC, one at a time. */
export class Worker {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  #nextId = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (message) => {
      const reply = message as Reply;
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
    child.on('exit', (code) => {
      for (const settle of this.#pending.values()) {
        settle({ id: -1, error: `worker exited with ${code}` });
      }
      this.#pending.clear();
    });
  }

  /** Starts bench/.build/<name>.mjs; resolves with the worker and its first message. */
  static async start(
    name: string,
    options: { env?: Record<string, string>; execArgv?: string[]; quiet?: boolean } = {},
  ): Promise<{ worker: Worker; hello: unknown }> {
    const child = fork(join(BUILD_DIR, `${name}.mjs`), [], {
      execPath: process.execPath,
      execArgv: options.execArgv ?? [],
      env: childEnv(options.env),
      stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
    });
    const [hello] = (await once(child, 'message')) as [unknown];
    return { worker: new Worker(child), hello };
  }

  /** The worker's process id (e.g. to move it into a cgroup). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Sends one job; rejects with the worker's error. */
  call<T>(job: object): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, (reply) =>
        reply.error === undefined ? resolve(reply.result as T) : reject(new Error(reply.error)),
      );
      this.#child.send({ id, job });
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    this.#child.disconnect();
    const exited = once(this.#child, 'exit');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Runs `node [nodeArgs] script [args]` in a fresh process and parses the last line it prints as
 * JSON. Also returns the wall time from spawn to exit, as the parent saw it.
 */
export async function runFresh<T>(
  script: string,
  args: readonly string[],
  options: { env?: Record<string, string>; nodeArgs?: readonly string[] } = {},
): Promise<{ result: T; wallMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallMs = performance.now() - started;
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(`${script} ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`);
  }
  return { result: JSON.parse(last) as T, wallMs };
}

/** The IPC side of a worker: answers each job with its handler's result, or its error. */
export function serveJobs(handle: (job: never) => Promise<unknown>, hello: unknown = {}): void {
  process.on('message', (message: { id: number; job: never }) => {
    handle(message.job).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) =>
        process.send?.({
          id: message.id,
          error: error instanceof Error ? error.stack : String(error),
        }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.(hello);
}
