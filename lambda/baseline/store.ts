import { errorText } from '../ground/error-line.js';
import { InvalidBaselineError } from '../ground/errors.js';

/** Where schedules' baselines live in the results bucket: one object per schedule. */
export const BASELINES_PREFIX = 'baselines/';

/**
 * The key of a document the store keeps: `baselines/<name>.json`, where the name is a schedule's
 * (its baseline) or `recent/<schedule>` (its recent verdicts, recent.ts). Schedule names have no
 * `/`, so the two never meet.
 */
export function baselineKey(name: string): string {
  return `${BASELINES_PREFIX}${name}.json`;
}

/**
 * A stored baseline as read: its text (not yet parsed nor checked, so that one that is not even
 * JSON can still be replaced on its version) and the version a write must match.
 */
export interface StoredDocument {
  readonly text: string;
  /** An S3 ETag, or a local file's content hash. */
  readonly version: string;
}

/** How a conditional write ended: written, or another writer got there first. */
export type WriteOutcome = 'written' | 'conflict';

/**
 * Keeps one baseline per schedule: the results bucket when deployed, a local folder under
 * `npm run serve`. Only I/O: what to compare and when to replace is decided in keep.ts.
 */
export interface BaselineStore {
  /** The named document (see baselineKey), or undefined when there is none. */
  read(name: string, signal: AbortSignal): Promise<StoredDocument | undefined>;
  /**
   * Replaces the document, as JSON, only if it is still at `version` (S3 If-Match), or creates it
   * only if there is none when `version` is undefined (If-None-Match: *), so that two overlapping
   * sweeps of a schedule never interleave: the later writer gets 'conflict'.
   */
  write(
    name: string,
    document: object,
    version: string | undefined,
    signal: AbortSignal,
  ): Promise<WriteOutcome>;
}

/** A stored document's text as JSON; text that is not is an invalid document like any other. */
export function parseStoredJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidBaselineError(`not valid JSON (${errorText(cause)})`, { cause });
  }
}
