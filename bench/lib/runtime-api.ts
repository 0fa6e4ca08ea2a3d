import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Lambda Runtime API on loopback, as the runtime interface client talks to it: it hands out
 * `events` one per `GET .../invocation/next` and records when each step happened, so a bench can
 * time a cold start as Lambda does (INIT ends when the runtime first asks for an event).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 */
const PREFIX = '/2018-06-01/runtime';
/** What a Lambda function gets in `context.getRemainingTimeInMillis()` here: its 15-minute maximum. */
const DEADLINE_MS = 15 * 60_000;

/** One invoke as the Runtime API saw it (performance.now() of this process). */
export interface RuntimeInvoke {
  /** When the event went out (the answer to `next`). */
  readonly sentAt: number;
  /** When the response (or error) body had arrived in full. */
  readonly answeredAt: number;
  /** `response` for a result, `error` for an invocation error. */
  readonly outcome: 'response' | 'error';
  readonly body: unknown;
}

export interface RuntimeApi {
  /** host:port, for AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  /** Resolves at the runtime's first `next` (the end of INIT) with its time. */
  readonly initDone: Promise<number>;
  /** Resolves when every event has been answered. */
  readonly invokes: Promise<RuntimeInvoke[]>;
  /** Rejects `initDone` and `invokes` (a child that exited before answering). */
  fail(reason: Error): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  req.setEncoding('utf8');
  for await (const chunk of req) text += chunk as string;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Starts the Runtime API with the events to hand out, in order; `next` after the last one waits. */
export async function startRuntimeApi(
  events: readonly unknown[],
  functionArn: string,
): Promise<RuntimeApi> {
  const done: RuntimeInvoke[] = [];
  const pending = new Map<string, number>();
  let handedOut = 0;
  let settleInit: (at: number) => void = () => {};
  let settleInvokes: (all: RuntimeInvoke[]) => void = () => {};
  let failBoth: (reason: Error) => void = () => {};
  const initDone = new Promise<number>((resolve, reject) => {
    settleInit = resolve;
    failBoth = reject;
  });
  const invokes = new Promise<RuntimeInvoke[]>((resolve, reject) => {
    settleInvokes = resolve;
    const failInit = failBoth;
    failBoth = (reason) => {
      failInit(reason);
      reject(reason);
    };
  });
  // A failed INIT must not surface as an unhandled rejection before anyone awaits it.
  initDone.catch(() => {});
  invokes.catch(() => {});

  const next = (res: ServerResponse) => {
    const at = performance.now();
    if (handedOut === 0) settleInit(at);
    if (handedOut >= events.length) return; // held open, as Lambda does between invokes
    const requestId = randomUUID();
    pending.set(requestId, performance.now());
    const body = JSON.stringify(events[handedOut++]);
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': requestId,
      'lambda-runtime-deadline-ms': String(Date.now() + DEADLINE_MS),
      'lambda-runtime-invoked-function-arn': functionArn,
      'lambda-runtime-trace-id': `Root=1-${randomUUID().slice(0, 8)}-${randomUUID().replaceAll('-', '').slice(0, 24)};Sampled=0`,
    });
    res.end(body);
  };
  const answer = async (req: IncomingMessage, res: ServerResponse, url: string) => {
    const [, requestId = '', kind = ''] =
      /\/invocation\/([^/]+)\/(response|error)$/.exec(url) ?? [];
    const body = await readJson(req);
    const sentAt = pending.get(requestId);
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
    if (sentAt === undefined) return;
    pending.delete(requestId);
    done.push({
      sentAt,
      answeredAt: performance.now(),
      outcome: kind as RuntimeInvoke['outcome'],
      body,
    });
    if (done.length === events.length) settleInvokes(done);
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) return next(res);
    if (req.method === 'POST' && url.startsWith(`${PREFIX}/invocation/`)) {
      return void answer(req, res, url);
    }
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      return void readJson(req).then((body) => {
        res.writeHead(202).end();
        failBoth(new Error(`INIT failed: ${JSON.stringify(body)}`));
      });
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    initDone,
    invokes,
    fail: (reason) => failBoth(reason),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
