import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type LocalApi, type LocalHandler, startLocalApi } from '../../dev/local-api.js';
import { localRuns } from '../../dev/local-runs.js';
import { withLocalRuns } from '../../dev/local-runs-api.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import type { Config } from '../../lambda/ground/config.js';

/** Keys only these tests know: the stand-in accepts requests signed with them and no others. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDSTATUSSWEEPTEST',
  secretAccessKey: 'status-sweep-test-secret-key',
  sessionToken: 'status-sweep-test-session-token',
};
export const TEST_REGION = 'eu-west-1';

/** A request that passed the signature check, and when it arrived (Date.now()). */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

/** API Gateway's answer to a request without a valid signature (IAM authorization). */
const FORBIDDEN = {
  statusCode: 403,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: 'Forbidden' }),
};
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/;

/**
 * The deployed API as a caller sees it, on loopback: IAM authorization checked as API Gateway
 * checks it (the request signed again with the known keys by the SDK's own signer, the
 * Authorization headers compared), then the sweep function with local distributed runs behind.
 */
export async function startSignedApi(
  config: Config,
): Promise<LocalApi & { readonly refused: number; readonly signed: readonly SignedRequest[] }> {
  const runs = localRuns(config);
  const { dispatch } = createHandlers(config, { log: () => undefined, runs });
  const behind = withLocalRuns(dispatch, runs);
  let refused = 0;
  const signed: SignedRequest[] = [];
  const handler: LocalHandler = async (event, context) => {
    const http = event as APIGatewayProxyEventV2;
    if (!(await isSignedByTestKeys(http))) {
      refused++;
      return FORBIDDEN;
    }
    signed.push({ method: http.requestContext.http.method, path: http.rawPath, at: Date.now() });
    return behind(event, context);
  };
  const api = await startLocalApi({ handler, port: 0 });
  return {
    url: api.url,
    close: api.close,
    get refused() {
      return refused;
    },
    signed,
  };
}

async function isSignedByTestKeys(event: APIGatewayProxyEventV2): Promise<boolean> {
  const { headers } = event;
  const authorization = headers.authorization ?? '';
  const match = AUTHORIZATION.exec(authorization);
  const amzDate = headers['x-amz-date'] ?? '';
  if (!match || match[1] !== TEST_CREDENTIALS.accessKeyId || !amzDate.startsWith(match[2] ?? '-')) {
    return false;
  }
  const signed = Object.fromEntries(
    (match[4] ?? '').split(';').map((name) => [name, headers[name] ?? '']),
  );
  const [hostname, port] = (headers.host ?? '').split(':');
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString()
        : event.body;
  const signer = new SignatureV4({
    service: 'execute-api',
    region: match[3] ?? '',
    credentials: TEST_CREDENTIALS,
    sha256: Sha256,
  });
  const again = await signer.sign(
    {
      method: event.requestContext.http.method,
      protocol: 'http:',
      hostname: hostname ?? '',
      port: port ? Number(port) : undefined,
      path: event.rawPath,
      query: Object.fromEntries(new URLSearchParams(event.rawQueryString)),
      headers: signed,
      body,
    },
    { signingDate: amzDateToDate(amzDate) },
  );
  return again.headers.authorization === authorization;
}

function amzDateToDate(amzDate: string): Date {
  const iso = amzDate.replace(
    /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
    '$1-$2-$3T$4:$5:$6Z',
  );
  return new Date(iso);
}

/** SHA-256 for the verifying signer, written apart from the CLI's so a bug cannot hide in both. */
class Sha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: unknown) {
    this.#hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', Buffer.from(secret as string | Uint8Array));
  }
  update(data: unknown): void {
    this.#hash.update(Buffer.from(data as string | Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
  reset(): void {}
}
