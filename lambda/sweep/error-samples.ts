import type { ErrorKind } from './outcome.js';

/**
 * What went wrong, in words: for each error kind, up to a few distinct messages of the failures
 * that ended ids (`read ECONNRESET`, `CERT_HAS_EXPIRED: certificate has expired`). Never a stack;
 * URLs and the sweep's own header values are cut out, so that a sample can be shown to a caller.
 */

/** Distinct messages kept per error kind, in one sweep and in a merge of shards alike. */
export const MAX_SAMPLES_PER_KIND = 3;
/** A sample is a line, not a document. */
export const MAX_SAMPLE_CHARS = 200;

/** Error kind → its distinct messages, first seen first; kinds without failures are absent. */
export type ErrorSamples = Samples<ErrorKind>;
/** Kind → its distinct messages, first seen first (errors by ErrorKind, checks by CheckKind). */
export type Samples<K extends string> = Readonly<Partial<Record<K, readonly string[]>>>;

/** Messages of our own ends of an attempt, which have no error object to describe. */
export const OwnFailure = {
  timeout: 'no response within the attempt timeout (timeoutMs)',
  deadline: "in flight at the sweep's deadline",
  statusOutOfRange: 'a status outside 100-599',
} as const;

/** The message of a failed attempt: the first error in the cause chain with a code, and its code. */
export function errorMessage(error: unknown): string {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string')
      return e.message.includes(code) ? e.message : `${code}: ${e.message}`;
    e = e.cause;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A URL in a message: targets' URLs carry ids and sometimes credentials in their query. */
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;

/**
 * `message` as one line a caller or a log may see: URLs and `secrets` cut out, whitespace
 * folded, at most `maxChars` characters. The one clean-up of error samples and error log lines.
 */
export function cleanMessage(message: string, secrets: Iterable<string>, maxChars: number): string {
  let text = message.replace(URL_PATTERN, '<url>');
  for (const secret of secrets) text = text.replaceAll(secret, '<redacted>');
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** Collects samples as ids settle; `secrets` (header values) never appear in a sample. */
export class ErrorSampler<K extends string = ErrorKind> {
  readonly #secrets: readonly string[];
  readonly #byKind = new Map<K, string[]>();

  constructor(secrets: readonly string[] = []) {
    this.#secrets = secrets.filter((s) => s.length > 0);
  }

  record(kind: K, message: string): void {
    const samples = this.#byKind.get(kind) ?? [];
    if (samples.length >= MAX_SAMPLES_PER_KIND) return;
    const sample = cleanMessage(message, this.#secrets, MAX_SAMPLE_CHARS);
    if (!samples.includes(sample)) samples.push(sample);
    this.#byKind.set(kind, samples);
  }

  toJSON(): Samples<K> {
    return Object.fromEntries(this.#byKind) as unknown as Samples<K>;
  }
}

/** The samples of several aggregates: per kind, the first MAX_SAMPLES_PER_KIND distinct ones. */
export function mergeErrorSamples<K extends string = ErrorKind>(
  parts: readonly (Samples<K> | undefined)[],
): Samples<K> {
  const merged = new Map<K, string[]>();
  for (const part of parts) {
    for (const [kind, samples] of Object.entries(part ?? {}) as [K, string[]][]) {
      const into = merged.get(kind) ?? [];
      merged.set(kind, into);
      for (const sample of samples) {
        if (into.length < MAX_SAMPLES_PER_KIND && !into.includes(sample)) into.push(sample);
      }
    }
  }
  return Object.fromEntries(merged) as unknown as Samples<K>;
}
