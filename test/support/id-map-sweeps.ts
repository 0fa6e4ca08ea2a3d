import type { SweepResponse } from '../../lambda/contract/response.js';
import { ERROR_KINDS, formatSpans, type IdRange, SpanBuilder } from '../../lambda/sweep/data.js';

/** How a fixture id ended: its outcome key and whether it met its expectation. */
export interface IdFate {
  readonly key: string;
  readonly unexpected: boolean;
  readonly newlyUnexpected?: boolean;
  readonly recovered?: boolean;
}

/**
 * A sweep response over `range` whose id `id` ended as `fate(id)`: its `ids`, `unexpectedIds`
 * and `changes` in compact form, built in one pass as the engine's aggregate builds them.
 */
export function sweepOf(
  range: IdRange,
  fate: (id: number) => IdFate,
  extra: Partial<SweepResponse> = {},
): SweepResponse {
  const byKey = new Map<string, SpanBuilder>();
  const unexpected = new SpanBuilder();
  const newly = new SpanBuilder();
  const recovered = new SpanBuilder();
  let unexpectedCount = 0;
  const reasons = { status: 0, content: 0, slow: 0, error: 0 };
  let notAttempted = 0;
  let newlyCount = 0;
  let recoveredCount = 0;
  for (let id = range.start; id <= range.end; id++) {
    const f = fate(id);
    const builder = byKey.get(f.key) ?? new SpanBuilder();
    byKey.set(f.key, builder);
    builder.add(id);
    if (f.key === 'notAttempted') notAttempted++;
    if (f.unexpected) {
      unexpected.add(id);
      unexpectedCount++;
      reasons[reasonOf(f.key)]++;
    }
    if (f.newlyUnexpected) {
      newly.add(id);
      newlyCount++;
    }
    if (f.recovered) {
      recovered.add(id);
      recoveredCount++;
    }
  }
  const total = range.end - range.start + 1;
  const ids = Object.fromEntries(
    [...byKey].map(([key, builder]) => [key, formatSpans(builder.spans())]),
  );
  return {
    sweepId: '00000000-0000-4000-8000-000000000026',
    trigger: 'schedule',
    target: 'demo.test',
    range,
    total,
    verdict: unexpectedCount === 0 ? 'ok' : 'failed',
    expected: total - notAttempted - unexpectedCount,
    unexpected: unexpectedCount,
    unexpectedIds: formatSpans(unexpected.spans()),
    flaky: 0,
    flakyIds: '',
    confirm: null,
    unexpectedReasons: reasons,
    unexpectedSamples: {},
    phases: null,
    certificate: null,
    verdictReasons: [],
    complete: notAttempted === 0,
    statuses: {},
    errors: { timeout: 0, connection: 0, dns: 0, tls: 0, protocol: 0, aborted: 0, other: 0 },
    errorSamples: {},
    notAttempted,
    ids,
    latencyMs: null,
    attempts: total,
    retries: 0,
    resends: 0,
    throttlePauses: 0,
    durationMs: 1000,
    endedAt: '2026-03-12T06:00:01.513Z',
    metrics: { status: 'off', requests: 0, datums: 0 },
    changes: {
      baseline: {
        sweepId: '3e61a64c-0000-4000-8000-000000000001',
        endedAt: '2026-03-12T05:00:00.880Z',
      },
      newlyUnexpected: { count: newlyCount, ids: formatSpans(newly.spans()) },
      recovered: { count: recoveredCount, ids: formatSpans(recovered.spans()) },
      stillUnexpected: { count: 0, ids: '' },
      stillExpected: { count: 0, ids: '' },
      notCompared: { count: 0, ids: '' },
      transitions: {},
      new: { count: 0, ids: '' },
    },
    ...extra,
  };
}

/** Met: a 200. */
export const met: IdFate = { key: '200', unexpected: false };

/**
 * The worst case for the map: 1,000,000 ids whose outcome changes at every id (200, 404, timeout,
 * not attempted in turn), every third id newly unexpected and every fifth recovered.
 */
export function fragmentedSweep(ids = 1_000_000): SweepResponse {
  const keys = ['200', '404', 'timeout', 'notAttempted'] as const;
  return sweepOf({ start: 1, end: ids }, (id) => {
    const key = keys[id % 4] as string;
    const unexpected = key === '404' || key === 'timeout';
    return {
      key,
      unexpected,
      newlyUnexpected: unexpected && id % 3 === 0,
      recovered: key === '200' && id % 5 === 0,
    };
  });
}

/** Why an unexpected id of outcome `key` was unexpected, as the verdict says it. */
function reasonOf(key: string): 'status' | 'content' | 'slow' | 'error' {
  if (key === 'content' || key === 'slow') return key;
  return (ERROR_KINDS as readonly string[]).includes(key) ? 'error' : 'status';
}
