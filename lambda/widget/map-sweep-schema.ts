import * as v from 'valibot';
import type { MapSweep } from '../idmap/index.js';

const id = v.pipe(v.number(), v.integer(), v.minValue(0));
const counted = v.object({ count: v.number(), ids: v.string() });

/**
 * What the map reads of a stored sweep response, checked field by field: only the range is
 * required; a field of the wrong type is a problem named by its path, an absent one is drawn
 * without (the legend says what is missing).
 */
const MapSweepSchema = v.pipe(
  v.object({
    sweepId: v.optional(v.string()),
    target: v.optional(v.string()),
    range: v.pipe(
      v.object({ start: id, end: id }),
      v.check((range) => range.start <= range.end, 'start must not be after end'),
    ),
    verdict: v.optional(v.string()),
    complete: v.optional(v.boolean()),
    endedAt: v.optional(v.string()),
    ids: v.optional(v.record(v.string(), v.string())),
    unexpectedIds: v.optional(v.string()),
    unexpectedReasons: v.optional(
      v.object({ content: v.optional(v.number()), slow: v.optional(v.number()) }),
    ),
    flakyIds: v.optional(v.string()),
    changes: v.optional(
      v.nullable(
        v.object({
          baseline: v.optional(
            v.object({
              sweepId: v.optional(v.string()),
              endedAt: v.optional(v.nullable(v.string())),
            }),
          ),
          newlyUnexpected: v.optional(counted),
          recovered: v.optional(counted),
        }),
      ),
    ),
    omitted: v.optional(v.array(v.string())),
  }),
);

/** The stored document as the map's input, or the paths of the fields that are not. */
export function mapSweepOf(
  document: unknown,
): { readonly sweep: MapSweep } | { readonly problems: string[] } {
  const result = v.safeParse(MapSweepSchema, document);
  if (result.success) return { sweep: result.output };
  const paths = result.issues.map((issue) => v.getDotPath(issue) ?? '(document)');
  return { problems: [...new Set(paths)] };
}
