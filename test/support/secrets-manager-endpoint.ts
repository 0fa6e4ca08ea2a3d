import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

/**
 * A loopback Secrets Manager that speaks the wire protocol of the current SDK: AWS JSON 1.1 over
 * POST /, `X-Amz-Target: secretsmanager.GetSecretValue`. It holds secrets by name, answers
 * ResourceNotFoundException for any other, and records each request it receives.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */

export const JSON_1_1 = 'application/x-amz-json-1.1';
export const GET_SECRET_VALUE_TARGET = 'secretsmanager.GetSecretValue';

export interface SecretRequest {
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly secretId: unknown;
}

/**
 * How the next requests fail, one per request: `throttle` answers ThrottlingException (HTTP 400,
 * as Secrets Manager does over its request rate), `unavailable` InternalServiceError (HTTP 500),
 * `stall` sends the headers of a 200 and then never the body.
 */
export type SecretFault = 'throttle' | 'unavailable' | 'stall';

export interface SecretsManagerEndpoint {
  /** For AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: SecretRequest[];
  /** The next requests fail this way, one fault each, in order. */
  readonly faults: SecretFault[];
  /** Sets (or rotates) a secret's SecretString; it gets a new version id. */
  put(name: string, value: string): void;
  close(): Promise<void>;
}

const ACCOUNT_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';

export async function startSecretsManagerEndpoint(): Promise<SecretsManagerEndpoint> {
  const secrets = new Map<string, { value: string; version: number }>();
  const requests: SecretRequest[] = [];
  const faults: SecretFault[] = [];
  const server = createServer((req, res) => {
    handle(req, res, secrets, requests, faults).catch((error: unknown) => {
      respond(res, 400, { __type: 'SerializationException', message: String(error) });
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    faults,
    put(name, value) {
      secrets.set(name, { value, version: (secrets.get(name)?.version ?? 0) + 1 });
    },
    close,
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  secrets: ReadonlyMap<string, { value: string; version: number }>,
  requests: SecretRequest[],
  faults: SecretFault[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
    SecretId?: unknown;
  };
  const target = req.headers['x-amz-target'] as string | undefined;
  requests.push({
    target,
    contentType: req.headers['content-type'],
    authorization: req.headers.authorization,
    secretId: input.SecretId,
  });
  if (req.method !== 'POST' || target !== GET_SECRET_VALUE_TARGET) {
    return respond(res, 400, { __type: 'UnknownOperationException' });
  }
  const fault = faults.shift();
  if (fault === 'throttle') {
    return respond(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
  }
  if (fault === 'unavailable') {
    return respond(res, 500, { __type: 'InternalServiceError', message: 'Internal error' });
  }
  if (fault === 'stall') {
    res.writeHead(200, { 'content-type': JSON_1_1, 'content-length': 4096 });
    res.write('{"ARN":');
    return;
  }
  // A name or an ARN ending in it (a complete ARN's 6-character suffix is not modelled).
  const name = String(input.SecretId).replace(ACCOUNT_ARN, '');
  const secret = secrets.get(name);
  if (secret === undefined) {
    return respond(res, 400, {
      __type: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  }
  respond(res, 200, {
    ARN: `${ACCOUNT_ARN}${name}-AbCdEf`,
    Name: name,
    VersionId: `00000000-0000-0000-0000-${String(secret.version).padStart(12, '0')}`,
    SecretString: secret.value,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: Date.now() / 1000,
  });
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_1_1, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The real SDK in this process, pointed at the stand-in on `url` with dummy credentials: every
 * AWS_* variable of the user's setup is removed first (tests restore process.env after).
 */
export function pointSecretsManagerAt(url: string): void {
  for (const name of Object.keys(process.env))
    if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
  });
}
