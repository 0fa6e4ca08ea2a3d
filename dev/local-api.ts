import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { errorText } from '../lambda/ground/error-line.js';
import { toHttpApiEvent } from './http-api-event.js';
import { lambdaContext } from './lambda-context.js';

/**
 * API Gateway HTTP API's largest request payload; bigger requests never reach the function.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalApi {
  /** e.g. http://127.0.0.1:3000 */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the handler over HTTP as API Gateway would: request → 2.0 event → result → response. */
export async function startLocalApi(options: {
  readonly handler: LocalHandler;
  readonly port?: number;
  readonly host?: string;
}): Promise<LocalApi> {
  const server = createServer((req, res) => {
    serve(options.handler, req, res).catch((error: unknown) => {
      if (req.socket.destroyed) return clientLeft(req);
      console.error(`status-sweep: ${req.method} ${req.url} failed: ${errorText(error)}`);
      if (!res.headersSent) writeJson(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serve(handler: LocalHandler, req: IncomingMessage, res: ServerResponse) {
  const body = await readBody(req);
  if (body === undefined) return writeJson(res, 413, { message: 'Request Entity Too Large' });
  let event: ReturnType<typeof toHttpApiEvent>;
  try {
    event = toHttpApiEvent({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress,
      host: req.headers.host,
    });
  } catch (error) {
    // A path that is not valid percent-encoding never reaches a function behind API Gateway.
    if (!(error instanceof URIError)) throw error;
    return writeJson(res, 400, { message: `the path is not valid percent-encoding: ${req.url}` });
  }
  let result: unknown;
  const context = lambdaContext();
  try {
    result = await handler(event, context);
  } catch (error) {
    // What API Gateway answers when the function itself fails; one line, as the logs get it.
    console.error(
      `status-sweep: the handler failed (request id ${context.awsRequestId}): ${errorText(error)}`,
    );
    return writeJson(res, 500, { message: 'Internal Server Error' });
  }
  if (req.socket.destroyed) return clientLeft(req);
  const structured = toStructured(result);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name] = String(value);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const payload = structured.body ?? '';
  const bytes = Buffer.from(payload, structured.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(structured.statusCode ?? 200, { ...headers, 'content-length': bytes.length });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/**
 * A result without a statusCode is a body to send as JSON with 200, as API Gateway infers it.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
function toStructured(result: unknown): APIGatewayProxyStructuredResultV2 {
  const r = result as APIGatewayProxyStructuredResultV2 | undefined;
  if (r && typeof r === 'object' && typeof r.statusCode === 'number') return r;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
}

/** The whole body, or undefined once it passes MAX_PAYLOAD_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A client that hung up before its answer is no failure of ours: one line, no stack. */
function clientLeft(req: IncomingMessage): void {
  console.error(`status-sweep: the client left before its answer (${req.method} ${req.url})`);
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
