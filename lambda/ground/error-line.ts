import { cleanMessage } from '../sweep/data.js';

/**
 * Errors as log fields and lines a reader may see: the class name and one line of message for the
 * error and each cause, never a stack (stacks name our files and lines, and reach no log line).
 * URLs and registered secret values (a target's header values) are cut out, as in error samples.
 */

/** A message is a line, not a document. */
export const MAX_ERROR_LINE_CHARS = 300;
/** Causes followed below an error: enough for SDK → socket → TLS chains, never a cycle. */
const MAX_CAUSES = 4;

const secrets = new Set<string>();

/** Values never to appear in an error line (a target's header values, once read). */
export function hideFromLogs(values: Iterable<string>): void {
  for (const value of values) if (value.length > 0) secrets.add(value);
}

/** One error of a chain: its class name and one line of its message. */
export interface ErrorLine {
  readonly name: string;
  readonly message: string;
}

/** An error as log fields: name, message and the causes below it (`causes`, first first). */
export interface ErrorFields extends ErrorLine {
  readonly causes?: readonly ErrorLine[];
}

/** `error` as log fields; a thrown non-Error is described by its type and text. */
export function errorFields(error: unknown): ErrorFields {
  const [top, ...causes] = chain(error);
  const head = top ?? { name: 'Error', message: '' };
  return causes.length > 0 ? { ...head, causes } : head;
}

/** An error in one line of text, `Name: message`; anything else as text (cleaned alike). */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return cleanLine(String(error));
  return `${error.name}: ${cleanLine(error.message)}`;
}

/** A message as one clean line: URLs and secrets cut, whitespace folded, length capped. */
export function cleanLine(message: string): string {
  return cleanMessage(message, secrets, MAX_ERROR_LINE_CHARS);
}

function chain(error: unknown): ErrorLine[] {
  const lines: ErrorLine[] = [];
  const seen = new Set<unknown>();
  for (let e = error; e !== undefined && !seen.has(e) && lines.length <= MAX_CAUSES; ) {
    seen.add(e);
    if (e instanceof Error) {
      lines.push({ name: e.name, message: cleanLine(e.message) });
      e = e.cause;
    } else {
      lines.push({ name: typeof e, message: cleanLine(String(e)) });
      break;
    }
  }
  return lines;
}

/**
 * `handle`, whose failures are thrown with their stacks (and their causes') cut to one line:
 * the Lambda runtime logs a thrown error with its stack ("Invoke Error"), and Step Functions
 * passes it on as the cause. The error itself (its class, name and message) is kept: retriers
 * match on its name.
 */
export function stackless<A extends unknown[], R>(
  handle: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handle(...args);
    } catch (error) {
      cutStacks(error);
      throw error;
    }
  };
}

/**
 * What `build` returns at cold start; what it throws (a bad setting), thrown with its stack cut
 * as stackless does: the runtime logs an init failure with its stack too.
 */
export function atColdStart<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    cutStacks(error);
    throw error;
  }
}

function cutStacks(error: unknown): void {
  const seen = new Set<unknown>();
  for (let e = error; e instanceof Error && !seen.has(e) && seen.size <= MAX_CAUSES; e = e.cause) {
    seen.add(e);
    e.stack = `${e.name}: ${cleanLine(e.message)}`;
  }
}
