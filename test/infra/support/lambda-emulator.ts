import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * Lambda for one bundled function, as Step Functions meets it: each invocation runs in an
 * execution environment (a Node process that imported the bundle once), reused while warm, a
 * new one when all are busy; an invocation that outlives the timeout is cut off and its
 * environment destroyed. Errors come back as Lambda's Node runtime reports them.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */

const RUNNER = join(import.meta.dirname, 'lambda-container.mjs');

export interface EmulatedFunction {
  /** The function's name (its logical id here). */
  readonly name: string;
  /** The synthesized bundle. */
  readonly modulePath: string;
  /** Its environment as deployed, plus the loopback endpoints and test credentials. */
  readonly environment: Readonly<Record<string, string>>;
  /** Its timeout: seconds here, where the deployed function has minutes. */
  readonly timeoutMs: number;
}

/**
 * A fault the test plants in one invocation: the runtime is killed mid-invocation (`crash`, as
 * an out-of-memory kill or a native crash would), or it stops answering until the timeout
 * (`hang`).
 */
export type Fault = 'crash' | 'hang' | undefined;

/** What Lambda's Node runtime reports for a failed invocation. */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/**
 * A failed invocation as Step Functions' Lambda integration reports it: the error's name is the
 * payload's errorType, its cause the payload as JSON.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
export class FunctionError extends Error {
  readonly payload: ErrorPayload;
  constructor(payload: ErrorPayload) {
    super(JSON.stringify(payload));
    this.name = payload.errorType;
    this.payload = payload;
  }
}

interface Environment {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
}

type Reply = { requestId?: string; ready?: true; result?: unknown; error?: ErrorPayload };

export class LambdaEmulator {
  /** Every event received, in order (a retried invocation appears again). */
  readonly invocations: unknown[] = [];
  /** Everything the function wrote to stdout and stderr. */
  readonly output: string[] = [];
  /** Chooses a fault for each invocation (its event, and how many times that event came before). */
  fault: (event: unknown, earlier: number) => Fault = () => undefined;
  private readonly idle: Environment[] = [];
  private readonly live = new Set<Environment>();

  constructor(readonly fn: EmulatedFunction) {}

  /** Invokes the function synchronously (RequestResponse): its result, or a FunctionError. */
  async invoke(event: unknown): Promise<unknown> {
    const earlier = this.invocations.filter((e) => sameJson(e, event)).length;
    this.invocations.push(event);
    const environment = this.idle.pop() ?? this.start();
    await environment.ready;
    const { child } = environment;
    const requestId = randomUUID();
    const { timeoutMs } = this.fn;
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        settle();
        this.destroy(environment);
        reject(
          new FunctionError({
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          }),
        );
      }, timeoutMs);
      const onMessage = (reply: Reply) => {
        if (reply.requestId !== requestId) return;
        settle();
        this.idle.push(environment);
        if (reply.error) reject(new FunctionError(reply.error));
        else resolve(reply.result ?? null);
      };
      const onExit = (_code: number | null, signal: string | null) => {
        settle();
        reject(
          new FunctionError({
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${signal ? `signal: ${signal.replace('SIG', '').toLowerCase()}ed` : 'exit status 1'}`,
          }),
        );
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      // A send cut short by a crash is reported by the exit.
      child.send({ requestId, event, timeoutMs }, () => undefined);
      const fault = this.fault(event, earlier);
      if (fault === 'crash') child.kill('SIGKILL');
      if (fault === 'hang') child.kill('SIGSTOP');
    });
  }

  /** Destroys every execution environment. */
  async close(): Promise<void> {
    this.idle.length = 0;
    await Promise.all([...this.live].map((environment) => this.destroy(environment)));
  }

  private start(): Environment {
    const child = fork(RUNNER, [this.fn.modulePath, this.fn.name], {
      env: { ...this.fn.environment },
      execPath: process.execPath,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    }
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', (reply: Reply) => (reply.ready ? resolve() : reject(reply)));
      child.once('exit', (code) =>
        reject(new Error(`${this.fn.name} failed its init (${code}): ${this.output.join('')}`)),
      );
    });
    const environment = { child, ready };
    this.live.add(environment);
    child.once('exit', () => this.live.delete(environment));
    return environment;
  }

  private async destroy(environment: Environment): Promise<void> {
    const { child } = environment;
    const idle = this.idle.indexOf(environment);
    if (idle >= 0) this.idle.splice(idle, 1);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    this.live.delete(environment);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
