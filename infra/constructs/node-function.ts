import { fileURLToPath } from 'node:url';
import { type Duration, Token } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root: entries, the lock file and esbuild's working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles have no `require`; CJS dependencies bundled into them call it, so the banner
 * recreates it from `import.meta.url`.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __sweepCreateRequire } from 'node:module'; const require = __sweepCreateRequire(import.meta.url);";

/**
 * How every function is bundled (esbuild through NodejsFunction): minified ESM for Node 24 with
 * class names kept, so error records name `InvalidRequestError`, not a minified `br`. Exported so
 * a test builds the same bundle.
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  keepNames: true,
  /**
   * Left out of every bundle: undici's experimental Milo HTTP parser, two builds of 77 KB of
   * WebAssembly as base64 (13 % of the sweep bundle), which undici requires only when
   * UNDICI_USE_MILO is set (lib/dispatcher/parser-h1.js); it parses with llhttp otherwise, and no
   * function sets the variable. The require stays in the bundle and would fail if one did.
   */
  externalModules: ['../milo/simd.js', '../milo/no-simd.js'],
} as const;

/**
 * Lambda's limit on a function's environment variables, all together; Lambda measures them as
 * one JSON object (its error quotes the "String measured").
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_ENVIRONMENT_BYTES = 4096;
/**
 * What a deploy-time value counts for before it is known: a bucket name is at most 63
 * characters, a partition, region or account id fewer.
 */
const UNRESOLVED_BYTES = 64;
/** How CDK writes a deploy-time value inside a string. */
const TOKEN = /\$\{Token\[[^\]]*\]\}/g;

/**
 * The environment's size as Lambda measures it, deploy-time values at their longest; a synth
 * error naming the largest variables when it is over the limit, rather than a failed deploy.
 */
export function checkEnvironmentSize(
  functionPath: string,
  environment: Readonly<Record<string, string>>,
): number {
  const longest = Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      Token.isUnresolved(value) ? value.replace(TOKEN, 'x'.repeat(UNRESOLVED_BYTES)) : value,
    ]),
  );
  const total = Buffer.byteLength(JSON.stringify(longest));
  if (total > MAX_ENVIRONMENT_BYTES) {
    const largest = Object.entries(longest)
      .map(([name, value]) => ({ name, bytes: Buffer.byteLength(JSON.stringify(value)) }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 2)
      .map((s) => `${s.name} (${s.bytes} bytes)`)
      .join(', ');
    throw new Error(
      `${functionPath}: its environment is ${total} bytes as JSON, over Lambda's limit of ${MAX_ENVIRONMENT_BYTES} bytes for all variables together; the largest are ${largest}. With a long expect, merge rules that share their statuses (ids "1-10,20-30"), or let schedules and requests bring their own.`,
    );
  }
  return total;
}

/**
 * What every function's process gets from its environment before any code runs. glibc gives each
 * thread that calls malloc an arena of its own (up to 8 per core); V8's compiler and GC threads
 * allocate their zones and work lists there, and the freed pages stay in the process: a
 * 100,000-id sweep under the 128 MB function's heap flags peaked at ~130 MB with the default
 * and ~113 MB with one arena, at the same speed (BENCHMARKS.md, item 9; bench/FINDINGS.md).
 * Lambda does not reserve the name, and nodejs24.x runs on Amazon Linux 2023 (glibc).
 * @see https://sourceware.org/glibc/manual/latest/html_node/Memory-Allocation-Tunables.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export const PROCESS_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

/** What differs between this project's functions; everything else is shared. */
export interface NodeFunctionOptions
  extends Omit<
    NodejsFunctionProps,
    'entry' | 'role' | 'logGroup' | 'runtime' | 'architecture' | 'bundling' | 'handler'
  > {
  /** The handler module, exporting `handler`. */
  readonly entry: string;
  /** Required: Lambda's own default (128 MB) is no default for these functions. */
  readonly memorySize: number;
  /** Required: Lambda's own default (3 s) is no default for these functions. */
  readonly timeout: Duration;
  /** How long the function's logs are kept. @default - 30 days */
  readonly logRetention?: RetentionDays;
}

/** The function and the two resources made for it. */
export interface NodeFunctionParts {
  readonly function: NodejsFunction;
  /** The function's own role: no managed policies, only grants. */
  readonly role: Role;
  readonly logGroup: LogGroup;
}

/**
 * A Node 24 arm64 function bundled locally by esbuild (never Docker) as minified ESM with source
 * maps, class names and the AWS SDK inside, logging JSON to a log group of its own, traced with X-Ray. Creates
 * `LogGroup`, `Role` and `Handler` in `scope`: the construct ids every function here keeps.
 */
export function nodeFunction(scope: Construct, options: NodeFunctionOptions): NodeFunctionParts {
  const { entry, logRetention, ...functionProps } = options;
  const environment = { ...PROCESS_ENVIRONMENT, ...functionProps.environment };
  checkEnvironmentSize(scope.node.path, environment);
  const logGroup = new LogGroup(scope, 'LogGroup', {
    retention: logRetention ?? RetentionDays.ONE_MONTH,
  });
  // An explicit role so that logging is a grant on our log group, not a managed policy on "*".
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  });
  logGroup.grantWrite(role);

  const fn = new NodejsFunction(scope, 'Handler', {
    ...functionProps,
    environment,
    entry,
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: `${REPO_ROOT}package-lock.json`,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    role,
    logGroup,
    loggingFormat: LoggingFormat.JSON,
    tracing: Tracing.ACTIVE,
    bundling: {
      forceDockerBundling: false,
      ...BUNDLING,
      mainFields: [...BUNDLING.mainFields],
      // The map ships beside the bundle for reading it offline, without the sources (4 MB →
      // ~1 MB); node does not load it: the functions run without --enable-source-maps, which cost
      // ~20 % of a cold start's import and ~11 MB of RSS, while no stack trace ever reaches a log
      // line (ground/error-line.ts logs name, message and causes).
      sourceMap: true,
      sourcesContent: false,
      // The SDK is bundled: a pinned, tree-shaken copy loads faster than the runtime's.
      bundleAwsSDK: true,
      externalModules: [...BUNDLING.externalModules],
    },
  });
  return { function: fn, role, logGroup };
}
