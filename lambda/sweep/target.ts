/** The methods a sweep may use: both safe and idempotent, so that any attempt can be re-sent. */
export const SWEEP_METHODS = ['GET', 'HEAD'] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];

/** Where a URL template puts the id; config validates templates against it. */
export const ID_PLACEHOLDER = '{id}';

export interface TargetParts {
  /** scheme://host[:port], the key of the connection pool. */
  readonly origin: string;
  /** The path and query of id `id`. */
  pathFor(id: number): string;
}

/** A marker that survives URL parsing unescaped (and lower-cased, in a host), standing in for "{id}". */
const MARKER = '__status_sweep_id__';

/** Splits a URL template once, so that each id costs one string join and no URL parsing. */
export function urlTemplateParts(template: string): TargetParts {
  if (!template.includes(ID_PLACEHOLDER)) {
    throw new RangeError(`URL template must contain "${ID_PLACEHOLDER}", got "${template}"`);
  }
  const url = new URL(template.replaceAll(ID_PLACEHOLDER, MARKER));
  if (url.origin.includes(MARKER)) {
    throw new RangeError(`"${ID_PLACEHOLDER}" must be in the path or query, got "${template}"`);
  }
  const pieces = `${url.pathname}${url.search}`.split(MARKER);
  return { origin: url.origin, pathFor: (id) => pieces.join(String(id)) };
}
