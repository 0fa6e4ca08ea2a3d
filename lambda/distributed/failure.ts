/**
 * Why a run failed, as callers see it: Step Functions' error name and one line of its cause.
 * No imports: the CLI's local runs use it without the AWS clients status.ts needs.
 */

/** The longest message a failed run's status carries. */
const MAX_MESSAGE_CHARS = 300;

/**
 * A cause as one line for a caller: a Lambda error's cause is its payload as JSON
 * (`{"errorType","errorMessage","trace"}`), of which only the message's first line is kept.
 */
export function oneLine(cause: string): string {
  let text = cause;
  try {
    const payload = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof payload?.errorMessage === 'string') text = payload.errorMessage;
  } catch {
    // Not JSON: Step Functions' own causes are sentences.
  }
  const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS - 1)}…` : line;
}
