/**
 * The one log writer: every line is one JSON object on stdout.
 *
 * Why process.stdout.write and not console.log: under Lambda's JSON log format the Node runtime
 * replaces console.log with a writer that wraps its argument as
 * `{"timestamp","level":"INFO","requestId","message": <argument>}` (aws-lambda-nodejs-runtime-
 * interface-client, LogPatch.js). A JSON *string* would arrive as a string inside `message`; even
 * an object would be nested under `message`, its own `level` shadowed by the runtime's. A line
 * written to stdout directly reaches CloudWatch Logs as written, so our fields stay top-level and
 * queryable (`level`, `sweepId`, …) in both the TEXT and the JSON log format, as Powertools Logger
 * does it. The runtime adds no requestId to such a line: the invocation's fields are added here,
 * from the invocation being handled (inInvocation), as Powertools' injectLambdaContext does.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/** One log line: a level, a message and any fields (JSON-serialisable). */
export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Where lines go; hosts (the local CLI, tests) may pass their own. */
export type LogWriter = (line: LogLine) => void;

/** What every line written while an invocation is handled carries. */
export interface InvocationFields {
  /** The Lambda request id: a 500 tells the caller to quote it. */
  readonly requestId: string;
  /** True for the first invocation this process handles (its init ran for it). */
  readonly coldStart: boolean;
  readonly functionName?: string;
}

const invocation = new AsyncLocalStorage<InvocationFields>();
/** The request id of the first invocation this process handled: the cold one. */
let firstRequestId: string | undefined;

/**
 * Calls `handle` with `context`'s fields added to every line written until it settles, by any
 * writer wrapped with withInvocationFields (writeLog is). Idempotent: entering the same
 * invocation again (an entry point calling another) changes nothing.
 */
export function inInvocation<T>(
  context: { readonly awsRequestId: string; readonly functionName?: string },
  handle: () => T,
): T {
  const requestId = context.awsRequestId;
  firstRequestId ??= requestId;
  const fields: InvocationFields = {
    requestId,
    coldStart: requestId === firstRequestId,
    ...(context.functionName !== undefined && { functionName: context.functionName }),
  };
  return invocation.run(fields, handle);
}

/** `writer`, with the current invocation's fields after each line's level and message. */
export function withInvocationFields(writer: LogWriter): LogWriter {
  return (line) => {
    const fields = invocation.getStore();
    if (!fields) return writer(line);
    const { level, message, ...rest } = line;
    writer({ level, message, ...fields, ...rest });
  };
}

/** The deployed writer: one JSON object per line on stdout, with the invocation's fields. */
export const writeLog: LogWriter = withInvocationFields((line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
