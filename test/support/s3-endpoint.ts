import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback S3 that speaks the REST wire protocol for what baselines use: GetObject and
 * PutObject, path-style (`/<bucket>/<key>`, as the SDK addresses an IP endpoint), with the
 * conditional writes S3 documents (If-None-Match: * and If-Match on the ETag: else 412).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export interface S3Endpoint {
  readonly url: string;
  /** Objects by "bucket/key": their text. */
  readonly objects: Map<string, string>;
  /** "bucket/key"s whose GET sends its headers and a first byte, then stalls. */
  readonly stalls: Set<string>;
  /**
   * As S3 answers a caller without s3:ListBucket: a GET of a missing key is 403 AccessDenied,
   * not 404 NoSuchKey. @default false
   */
  unlisted: boolean;
  /** Every request: method, "bucket/key" and its conditional headers. */
  readonly requests: Array<{
    readonly method: string;
    readonly path: string;
    readonly ifMatch?: string;
    readonly ifNoneMatch?: string;
  }>;
  close(): Promise<void>;
}

export async function startS3Endpoint(): Promise<S3Endpoint> {
  const objects = new Map<string, string>();
  const stalls = new Set<string>();
  const requests: S3Endpoint['requests'] = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/').slice(1);
    const body = await text(req);
    const header = (name: string) => req.headers[name] as string | undefined;
    requests.push({
      method: req.method ?? '',
      path,
      ifMatch: header('if-match'),
      ifNoneMatch: header('if-none-match'),
    });
    const stored = objects.get(path);
    const error = (status: number, code: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
      );
    };
    if (req.method === 'GET') {
      if (stored === undefined) {
        return endpoint.unlisted ? error(403, 'AccessDenied') : error(404, 'NoSuchKey');
      }
      if (stalls.has(path)) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': stored.length });
        return res.write(stored.slice(0, 1));
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: etag(stored) });
      return res.end(stored);
    }
    if (req.method === 'PUT') {
      const ifNoneMatch = header('if-none-match');
      const ifMatch = header('if-match');
      if (ifNoneMatch === '*' && stored !== undefined) return error(412, 'PreconditionFailed');
      if (ifMatch !== undefined && (stored === undefined || etag(stored) !== ifMatch)) {
        return error(
          stored === undefined ? 404 : 412,
          stored === undefined ? 'NoSuchKey' : 'PreconditionFailed',
        );
      }
      objects.set(path, body);
      res.writeHead(200, { etag: etag(body) });
      return res.end();
    }
    error(405, 'MethodNotAllowed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint: S3Endpoint = {
    url: `http://127.0.0.1:${port}`,
    objects,
    stalls,
    unlisted: false,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return endpoint;
}

function etag(text: string): string {
  return `"${createHash('md5').update(text).digest('hex')}"`;
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
