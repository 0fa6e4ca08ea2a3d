import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Config } from '../ground/config.js';
import { ConfigError } from '../ground/errors.js';

/**
 * The request headers a deployment sends with every request (an API key, say): one Secrets
 * Manager secret holding a JSON object of header names to values, read through Powertools
 * Parameters and reused for TARGET_HEADERS_MAX_AGE_MS, so that a rotated value reaches warm
 * functions within that time. The value is never logged nor echoed: every error below names the
 * secret, and a header's name at most.
 */

/** The headers for the next sweep: `{}` when no secret is configured. */
export type TargetHeaders = () => Promise<Readonly<Record<string, string>>>;

/**
 * A read that gets no answer must not hold the sweep: Secrets Manager answers in milliseconds.
 * The SDK's requestTimeout only warns unless throwOnRequestTimeout is set.
 */
export const SECRET_READ = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, attempts: 2 };

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

/** Reads the configured secret, once per TTL; built once at cold start. */
export function targetHeadersFrom(config: Config): TargetHeaders {
  const secretId = config.targetHeadersSecret;
  if (secretId === undefined) return async () => ({});
  const provider = new SecretsProvider({
    clientConfig: {
      maxAttempts: SECRET_READ.attempts,
      requestHandler: {
        connectionTimeout: SECRET_READ.connectionTimeoutMs,
        requestTimeout: SECRET_READ.requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
    },
  });
  let last: { raw: string; headers: Readonly<Record<string, string>> } | undefined;
  return async () => {
    let raw: unknown;
    try {
      // Powertools counts maxAge in seconds.
      raw = await provider.get(secretId, {
        maxAge: Math.ceil(config.targetHeadersMaxAgeMs / 1000),
      });
    } catch (error) {
      // The SDK's message names the secret and the failure (access denied, not found), no value.
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`cannot read ${describe(secretId)}: ${reason}`, { cause: error });
    }
    if (typeof raw !== 'string') {
      throw new ConfigError(`${describe(secretId)} must be a JSON object in SecretString`);
    }
    if (last?.raw !== raw) last = { raw, headers: parseTargetHeaders(secretId, raw) };
    return last.headers;
  };
}

/** Pure: the headers in a secret's text; a ConfigError naming the secret (not its value) if bad. */
export function parseTargetHeaders(secretId: string, raw: string): Record<string, string> {
  const fail = (problem: string) => new ConfigError(`${describe(secretId)} ${problem}`);
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
