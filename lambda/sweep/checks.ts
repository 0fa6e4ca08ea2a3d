/*
 * What an id's rule asks beyond its status, as the engine sees it: built above the engine (the
 * verdict compiles expectation rules into a CheckFor) and handed in, so the engine stays a leaf.
 */

/** The checks of one id's rule; they apply only once its status is one the rule accepts. */
export interface IdCheck {
  readonly accepts: (status: number) => boolean;
  /** Reads the body; absent, the body is counted and dropped as for any id. */
  readonly body?: BodyCheck;
  /** A slower answer (request start to the end of its body) is `slow`. */
  readonly maxLatencyMs?: number;
}

/** A pure check of one body, bounded by its size: no regex, no recursion on caller input. */
export interface BodyCheck {
  /** A longer body is a mismatch; it is never buffered past this many bytes. */
  readonly maxBodyBytes: number;
  /** What is wrong with `body` for `id` in a few words (`/id is 26, expected 25`), or undefined. */
  inspect(body: Buffer, id: number): string | undefined;
}

/** The checks of an id's rule, or undefined when its rule has none (the path without checks). */
export type CheckFor = (id: number) => IdCheck | undefined;

/** A sample is a line: `id 25: /id is 26, expected 25`, `id 7: 2,314 ms > 2,000 ms`. */
export function checkSample(id: number, what: string): string {
  return `id ${id}: ${what}`;
}

/** `2,314 ms > 2,000 ms`: rounded to the millisecond, thousands separated. */
export function slowness(latencyMs: number, maxLatencyMs: number): string {
  return `${grouped(latencyMs)} ms > ${grouped(maxLatencyMs)} ms`;
}

/** `over 262,144 bytes`, and the like: numbers in samples are grouped by thousands. */
export function grouped(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
