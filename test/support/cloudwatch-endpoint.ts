import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { listenOnLoopback } from './loopback-server.js';

/**
 * A loopback CloudWatch that speaks the wire protocol of the current SDK: AWS JSON 1.0 over
 * POST /, `X-Amz-Target: GraniteServiceVersion20100801.<Operation>`, gzip bodies when the SDK
 * compresses them (≥ 10 KiB). It records every request it receives and answers as told.
 */

/**
 * Settings that send metrics to a CloudWatch endpoint nobody listens on (port 9, discard): every
 * publish fails, so a sweep also logs the fallback's cause and its EMF document.
 */
export const UNREACHABLE_CLOUDWATCH = {
  METRICS_MODE: 'cloudwatch',
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL_CLOUDWATCH: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
} as const;

export const JSON_1_0 = 'application/x-amz-json-1.0';
export const PUT_METRIC_DATA_TARGET = 'GraniteServiceVersion20100801.PutMetricData';

/** How the endpoint answers: accept, fail as CloudWatch does, or never answer. */
export const EndpointBehaviour = {
  accept: 'accept',
  internalError: 'internalError',
  throttle: 'throttle',
  hang: 'hang',
  /** Reads and records the request, then resets the connection instead of answering. */
  reset: 'reset',
  /** 413 with a plain-text body, as CloudWatch's front end answers a request over its size limit. */
  tooLarge: 'tooLarge',
} as const;
export type EndpointBehaviour = (typeof EndpointBehaviour)[keyof typeof EndpointBehaviour];

/** A datum as it arrives in AWS JSON 1.0: Timestamp in epoch seconds. */
export interface WireDatum {
  readonly MetricName: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
  readonly Timestamp?: number;
  readonly Value?: number;
  readonly Values?: readonly number[];
  readonly Counts?: readonly number[];
  readonly Unit?: string;
  readonly StorageResolution?: number;
}

export interface RecordedRequest {
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly authorization: string | undefined;
  /** Bytes on the wire (compressed when gzip) and after decompression. */
  readonly wireBytes: number;
  readonly bodyBytes: number;
  readonly namespace: string;
  readonly metricData: readonly WireDatum[];
  /** What the endpoint answered. */
  readonly answeredWith: EndpointBehaviour;
}

export interface CloudWatchEndpoint {
  readonly url: string;
  /** Every PutMetricData request received, retries included, in arrival order. */
  readonly requests: RecordedRequest[];
  behaviour: EndpointBehaviour;
  close(): Promise<void>;
}

export async function startCloudWatchEndpoint(): Promise<CloudWatchEndpoint> {
  const requests: RecordedRequest[] = [];
  const state = { behaviour: EndpointBehaviour.accept as EndpointBehaviour };
  const server = createServer((req, res) => {
    handle(req, res, state.behaviour, requests).catch((error: unknown) => {
      respond(res, 400, { __type: 'SerializationException', message: String(error) });
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(b: EndpointBehaviour) {
      state.behaviour = b;
    },
    close,
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  behaviour: EndpointBehaviour,
  requests: RecordedRequest[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const wire = Buffer.concat(chunks);
  const encoding = req.headers['content-encoding'];
  const body = encoding === 'gzip' ? gunzipSync(wire) : wire;
  const target = header(req, 'x-amz-target');
  const contentType = header(req, 'content-type');
  if (req.method !== 'POST' || contentType !== JSON_1_0 || target !== PUT_METRIC_DATA_TARGET) {
    respond(res, 400, {
      __type: 'UnknownOperationException',
      message: `expected POST ${JSON_1_0} ${PUT_METRIC_DATA_TARGET}, got ${req.method} ${contentType} ${target}`,
    });
    return;
  }
  const input = JSON.parse(body.toString('utf8')) as { Namespace: string; MetricData: WireDatum[] };
  requests.push({
    target,
    contentType,
    contentEncoding: encoding,
    authorization: header(req, 'authorization'),
    wireBytes: wire.length,
    bodyBytes: body.length,
    namespace: input.Namespace,
    metricData: input.MetricData,
    answeredWith: behaviour,
  });
  switch (behaviour) {
    case EndpointBehaviour.accept:
      respond(res, 200, {});
      return;
    case EndpointBehaviour.internalError:
      respond(
        res,
        500,
        { __type: 'InternalServiceFault', message: 'Internal service error' },
        'InternalServiceError;Receiver',
      );
      return;
    case EndpointBehaviour.throttle:
      respond(res, 400, { __type: 'Throttling', message: 'Rate exceeded' }, 'Throttling;Sender');
      return;
    case EndpointBehaviour.hang:
      return; // close() destroys the socket
    case EndpointBehaviour.reset:
      req.socket.resetAndDestroy();
      return;
    case EndpointBehaviour.tooLarge:
      res.writeHead(413, { 'content-type': 'text/plain' });
      res.end('Request Entity Too Large');
      return;
  }
}

/** An AWS JSON 1.0 answer; `queryError` is the header awsQueryCompatible services add to errors. */
function respond(res: ServerResponse, status: number, body: object, queryError?: string): void {
  res.writeHead(status, {
    'content-type': JSON_1_0,
    'x-amzn-requestid': `req-${Math.random().toString(16).slice(2)}`,
    ...(queryError && { 'x-amzn-query-error': queryError }),
  });
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
