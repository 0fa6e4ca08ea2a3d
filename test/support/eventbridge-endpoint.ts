import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

/**
 * A loopback EventBridge that speaks the SDK's wire protocol: AWS JSON 1.1 over POST /,
 * `X-Amz-Target: AWSEvents.PutEvents`. It records every entry it receives and answers as told,
 * checking each entry's size as PutEvents does (Source + DetailType + Detail bytes).
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */

export const JSON_1_1 = 'application/x-amz-json-1.1';
export const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';
/** @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html */
export const PUT_EVENTS_ENTRY_LIMIT = 256 * 1024;

/** How the endpoint answers: accept, refuse the entry with a 200 (FailedEntryCount), or hang. */
export const EventsBehaviour = {
  accept: 'accept',
  /** 200 with FailedEntryCount 1 and the entry's ErrorCode, as PutEvents reports a partial failure. */
  failEntry: 'failEntry',
  hang: 'hang',
} as const;
export type EventsBehaviour = (typeof EventsBehaviour)[keyof typeof EventsBehaviour];

/** An entry as it arrived. */
export interface ReceivedEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName?: string;
  /** Its size as PutEvents counts it. */
  readonly bytes: number;
}

export interface EventBridgeEndpoint {
  readonly url: string;
  /** Every entry of every PutEvents request, in arrival order. */
  readonly entries: ReceivedEntry[];
  /** PutEvents requests received. */
  readonly requests: number;
  behaviour: EventsBehaviour;
  close(): Promise<void>;
}

export async function startEventBridgeEndpoint(): Promise<EventBridgeEndpoint> {
  const entries: ReceivedEntry[] = [];
  const state = { behaviour: EventsBehaviour.accept as EventsBehaviour, requests: 0 };
  const server = createServer((req, res) => {
    handle(req, res, state, entries).catch((error: unknown) => {
      respond(res, 400, { __type: 'SerializationException', message: String(error) });
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    entries,
    get requests() {
      return state.requests;
    },
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(b: EventsBehaviour) {
      state.behaviour = b;
    },
    close,
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: { behaviour: EventsBehaviour; requests: number },
  entries: ReceivedEntry[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const target = req.headers['x-amz-target'];
  const contentType = req.headers['content-type'];
  if (req.method !== 'POST' || contentType !== JSON_1_1 || target !== PUT_EVENTS_TARGET) {
    respond(res, 400, {
      __type: 'UnknownOperationException',
      message: `expected POST ${JSON_1_1} ${PUT_EVENTS_TARGET}, got ${req.method} ${contentType} ${target}`,
    });
    return;
  }
  state.requests++;
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    Entries: Omit<ReceivedEntry, 'bytes'>[];
  };
  const received = input.Entries.map((e) => ({
    ...e,
    bytes:
      Buffer.byteLength(e.Source) + Buffer.byteLength(e.DetailType) + Buffer.byteLength(e.Detail),
  }));
  entries.push(...received);
  if (state.behaviour === EventsBehaviour.hang) return; // close() destroys the socket
  const tooBig = received.some((e) => e.bytes > PUT_EVENTS_ENTRY_LIMIT);
  if (tooBig) {
    respond(res, 400, {
      __type: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    return;
  }
  const fail = state.behaviour === EventsBehaviour.failEntry;
  respond(res, 200, {
    FailedEntryCount: fail ? received.length : 0,
    Entries: received.map(() =>
      fail
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service error' }
        : { EventId: randomUUID() },
    ),
  });
}

function respond(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, {
    'content-type': JSON_1_1,
    'x-amzn-requestid': `req-${Math.random().toString(16).slice(2)}`,
  });
  res.end(JSON.stringify(body));
}
