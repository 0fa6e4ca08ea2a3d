import type { CheckFor, IdCheck } from '../sweep/data.js';
import type { Expectations } from './expectations.js';
import { cover, type Segment } from './match.js';

/**
 * The engine's CheckFor: each id's first covering rule's checks (body, maxLatencyMs), found by a
 * binary search over the rules' segments. Undefined when no rule checks anything, so that a sweep
 * without checks keeps the engine's path of counting and dropping every body.
 */
export function checksFor(expectations: Expectations): CheckFor | undefined {
  if (!expectations.rules.some((rule) => rule.check)) return undefined;
  const segments = cover(expectations);
  return (id) => {
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((segments[middle] as Segment)[1] < id) low = middle + 1;
      else high = middle;
    }
    return (segments[low] as Segment | undefined)?.[2].check as IdCheck | undefined;
  };
}
