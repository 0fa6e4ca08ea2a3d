import { setTimeout as sleep } from 'node:timers/promises';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Baseline } from '../lambda/baseline/baseline.js';
import type { SweepResponse } from '../lambda/contract/response.js';
import { SWEEPS_PATH } from '../lambda/contract/routes.js';
import { type CliOptions, UsageError } from './cli-args.js';
import { ExitCode, Format } from './cli-flags.js';
import { finish, say } from './cli-report.js';
import { invalidFlagsText, requestFields } from './cli-request.js';
import { ctrlC } from './ctrl-c.js';
import { progressLine, wantsProgress } from './progress.js';
import { NodeSha256 } from './sha256.js';

/**
 * `--api URL`: the CLI as a client of the deployed stack. The request is signed with SigV4 for
 * `execute-api` by the SDK's own signer, with credentials from the SDK's standard chain
 * (environment, profile, SSO, container, instance); a distributed run (202) is followed by
 * polling its statusUrl as Retry-After says. The result is printed and judged as a local one.
 */

/** API Gateway's service name in SigV4 credential scopes. */
export const SIGNING_SERVICE = 'execute-api';
/** How soon to ask again when a 202 names no Retry-After: the runs function says 1 s. */
const DEFAULT_POLL_SECONDS = 1;
/** `abc123.execute-api.eu-west-1.amazonaws.com`: the region is in the host. */
const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;

type Env = Readonly<Record<string, string | undefined>>;

export interface DeployedRun {
  readonly env: Env;
  readonly baseline?: Baseline;
  readonly writeResult: (text: string) => void;
}

/** A request's answer: its status, Retry-After and JSON body (or the text, if not JSON). */
interface Answer {
  readonly status: number;
  readonly retryAfter: number;
  readonly body: Record<string, unknown>;
}

/** Sweeps on the deployed stack and reports as a local sweep would; resolves to the exit code. */
export async function sweepDeployed(cli: CliOptions, api: URL, run: DeployedRun): Promise<number> {
  const region = regionOf(api, run.env);
  const send = signedSender(api, region);
  const fields = requestFields(cli, false);
  const human = cli.format === Format.human;
  if (human) {
    say(`asking ${api.origin}${api.pathname} to sweep ids ${fields.start}-${fields.end}`);
    say(`  (signed with SigV4 for ${SIGNING_SERVICE} in ${region})`);
  }
  const interrupt = ctrlC();
  const progress = progressLine(human && wantsProgress(process.stderr, run.env));
  try {
    let answer = await send('POST', SWEEPS_PATH, JSON.stringify(fields), interrupt.signal);
    const statusUrl = typeof answer.body.statusUrl === 'string' ? answer.body.statusUrl : '';
    if (answer.status === 202 && statusUrl) {
      if (human) say(`distributed: ${answer.body.shards} shards, following ${statusUrl}`);
      while (answer.status === 202) {
        progress.update(...settledOf(answer.body));
        await sleep(answer.retryAfter * 1000, undefined, { signal: interrupt.signal });
        answer = await send('GET', statusUrl, undefined, interrupt.signal);
      }
    }
    progress.clear();
    return await conclude(cli, run, answer);
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    progress.clear();
    say('status-sweep: stopped by you (Ctrl-C); a distributed run goes on in AWS until it ends');
    return ExitCode.interrupted;
  } finally {
    interrupt.dispose();
  }
}

async function conclude(cli: CliOptions, run: DeployedRun, answer: Answer): Promise<number> {
  const { status, body } = answer;
  const error = body.error as { message?: string; details?: Record<string, string[]> } | undefined;
  const message = error?.message ?? (body.message as string | undefined) ?? `HTTP ${status}`;
  if (status === 403 || status === 401) {
    say(
      `status-sweep: the API refused the request (${status}: ${message}); check the AWS credentials, region and the URL`,
    );
    return ExitCode.usage;
  }
  if (status >= 400 && status < 500) {
    say(`status-sweep: ${invalidFlagsText(message, error?.details)}`);
    return ExitCode.usage;
  }
  if (status !== 200 || typeof body.verdict !== 'string') {
    const why = typeof body.status === 'string' ? `the run ended ${body.status}` : `HTTP ${status}`;
    say(`status-sweep: the sweep failed: ${why}${error || body.message ? `: ${message}` : ''}`);
    return ExitCode.failed;
  }
  const response = body as unknown as SweepResponse;
  return finish(cli, run.baseline, { response, extras: {}, interrupted: false }, run.writeResult);
}

/** The progress a 202 reports: shards done of all (the local API answers as deployed). */
function settledOf(body: Record<string, unknown>): [number, number] {
  const shards = body.progress as
    | { total?: number; succeeded?: number; failed?: number }
    | undefined;
  return [(shards?.succeeded ?? 0) + (shards?.failed ?? 0), shards?.total || 1];
}

/** The API's region: from an execute-api host, else AWS_REGION (a custom domain, a test). */
export function regionOf(api: URL, env: Env): string {
  const region =
    EXECUTE_API_HOST.exec(api.hostname)?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) return region;
  throw new Error(`cannot tell the region of ${api.hostname}: set AWS_REGION`);
}

/** Sends SigV4-signed requests to paths under the API's base URL (its stage included). */
function signedSender(api: URL, region: string) {
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region,
    credentials: defaultProvider(),
    sha256: NodeSha256,
  });
  return async (
    method: string,
    path: string,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<Answer> => {
    const url = new URL(path.replace(/^\//, ''), api);
    const headers: Record<string, string> = { host: url.host, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signed = await signWith(signer, {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    });
    const { host: _host, ...sent } = signed.headers;
    const response = await fetch(url, { method, headers: sent, body, signal }).catch(
      (error: Error) => {
        if (signal.aborted) throw error;
        const cause = error.cause as { code?: string; message?: string } | undefined;
        const why = cause?.code ?? cause?.message ?? error.message;
        throw new Error(`cannot reach ${url.origin}: ${why}`, { cause: error });
      },
    );
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      retryAfter: retryAfter > 0 ? retryAfter : DEFAULT_POLL_SECONDS,
      body:
        typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {},
    };
  };
}

/** Signs; no credentials in the chain is the caller's setup to fix: one line, exit 2. */
async function signWith(
  signer: SignatureV4,
  request: Parameters<SignatureV4['sign']>[0],
): ReturnType<SignatureV4['sign']> {
  try {
    return await signer.sign(request);
  } catch (error) {
    if ((error as Error).name !== 'CredentialsProviderError') throw error;
    throw new UsageError(
      `--api needs AWS credentials (environment, profile, SSO or role): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
