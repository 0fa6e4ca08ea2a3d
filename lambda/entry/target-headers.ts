import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../ground/config.js';
import { hideFromLogs } from '../ground/error-line.js';
import { ConfigError, isTransientAwsError, ServiceUnavailableError } from '../ground/errors.js';

/**
 * The request headers a deployment sends with every request (an API key, say): one Secrets
 * Manager secret holding a JSON object of header names to values, reused for
 * TARGET_HEADERS_MAX_AGE_MS, so that a rotated value reaches warm functions within that
 * time. The value is never logged nor echoed: every error below names the secret, and a header's
 * name at most. A read Secrets Manager throttled or failed on its side is ServiceUnavailableError
 * (a shard retries it); a secret that is missing, denied or malformed is ConfigError.
 */

/**
 * The headers for the next sweep: `{}` when no secret is configured. `signal` aborts the read
 * (the sweep's deadline): headers that arrived do not hold a read whose body never comes.
 */
export type TargetHeaders = (signal?: AbortSignal) => Promise<Readonly<Record<string, string>>>;

/**
 * A read that gets no answer must not hold the sweep: Secrets Manager answers in milliseconds.
 * The SDK's requestTimeout only warns unless throwOnRequestTimeout is set, and it times the
 * wait for headers, not a body that stalls after them: `totalMs` bounds the whole read.
 */
export const SECRET_READ = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
  attempts: 2,
  totalMs: 5_000,
};

/**
 * A header name is an HTTP token.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2
 */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/**
 * A field value: visible characters, spaces and tabs; never a line break.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.5
 */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/**
 * Headers the connection owns (hop-by-hop, framing) or that would redirect the request to
 * another virtual host: the engine and undici set them, a deployment may not.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1
 */
const REFUSED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  'expect',
]);

/** Reads the configured secret, once per max age; built once at cold start. */
export function targetHeadersFrom(config: Config): TargetHeaders {
  const secretId = config.targetHeadersSecret;
  if (secretId === undefined) return async () => ({});
  const client = new SecretsManagerClient({
    maxAttempts: SECRET_READ.attempts,
    requestHandler: {
      connectionTimeout: SECRET_READ.connectionTimeoutMs,
      requestTimeout: SECRET_READ.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  const maxAgeMs = config.targetHeadersMaxAgeMs;
  let last: { raw: string; headers: Readonly<Record<string, string>>; readAt: number } | undefined;
  return async (signal) => {
    if (last !== undefined && Date.now() - last.readAt < maxAgeMs) return last.headers;
    const raw = await readSecret(client, secretId, signal);
    const headers = last?.raw === raw ? last.headers : parseTargetHeaders(secretId, raw);
    hideFromLogs(Object.values(headers));
    last = { raw, headers, readAt: Date.now() };
    return headers;
  };
}

async function readSecret(
  client: SecretsManagerClient,
  secretId: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const bound = AbortSignal.timeout(SECRET_READ.totalMs);
  const abortSignal = signal ? AbortSignal.any([signal, bound]) : bound;
  let output: { SecretString?: string };
  try {
    output = await client.send(new GetSecretValueCommand({ SecretId: secretId }), {
      abortSignal,
    });
  } catch (error) {
    // The SDK's message names the secret and the failure (access denied, not found), no value.
    const reason = error instanceof Error ? error.message : String(error);
    if (abortSignal.aborted || isTransientAwsError(error)) {
      throw new ServiceUnavailableError(`cannot read ${describe(secretId)} now: ${reason}`, {
        cause: error,
      });
    }
    throw new ConfigError(`cannot read ${describe(secretId)}: ${reason}`, { cause: error });
  }
  if (typeof output.SecretString !== 'string') {
    throw new ConfigError(`${describe(secretId)} must be a JSON object in SecretString`);
  }
  return output.SecretString;
}

/**
 * Pure: the headers in a secret's text; a ConfigError naming the secret (not its value) if bad.
 * `source` names where the text came from otherwise (the local CLI's --headers-file).
 */
export function parseTargetHeaders(
  secretId: string,
  raw: string,
  source = describe(secretId),
): Record<string, string> {
  const fail = (problem: string) => new ConfigError(`${source} ${problem}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // No cause: JSON.parse's message quotes the text, and the text is the secret.
    throw fail('must be a JSON object of header names to values; it is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed;
    throw fail(`must be a JSON object of header names to values, got ${kind}`);
  }
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(parsed)) {
    // The name is not echoed unless it is one we know: a value pasted as a name stays unseen.
    if (!TOKEN.test(name)) throw fail('has a header name that is not an HTTP token');
    const lower = name.toLowerCase();
    if (REFUSED.has(lower)) throw fail(`may not set "${lower}": the connection owns it`);
    if (typeof value !== 'string') throw fail(`must give "${lower}" a string value`);
    if (!FIELD_VALUE.test(value)) {
      throw fail(`must give "${lower}" a value without line breaks or control characters`);
    }
    if (lower in headers) throw fail(`names "${lower}" twice (header names ignore case)`);
    headers[lower] = value;
  }
  return { ...headers };
}

function describe(secretId: string): string {
  return `the target headers secret ${secretId} (TARGET_HEADERS_SECRET)`;
}
