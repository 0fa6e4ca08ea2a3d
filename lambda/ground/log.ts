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
 * does it. The line carries its own requestId, since the runtime does not add one here.
 */

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/** One log line: a level, a message and any fields (JSON-serialisable). */
export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Where lines go; hosts (the local CLI, tests) may pass their own. */
export type LogWriter = (line: LogLine) => void;

/** The deployed writer: one JSON object per line on stdout. */
export const writeLog: LogWriter = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** An error as log fields: its class name, message and stack; anything else as text. */
export function errorFields(error: unknown): unknown {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : String(error);
}

/** An error in one line of text, `Name: message`; anything else as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
