import { describe, expect, it } from 'vitest';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { mergeAggregates } from '../../lambda/sweep/merge.js';
import { PhaseHistograms } from '../../lambda/sweep/phases.js';

const DAY = 86_400_000;

/** A shard of ids first..last: 200s, one content mismatch, phases and a certificate. */
function shard(first: number, last: number, notAfter: number) {
  const tally = new Tally({ start: first, end: last });
  tally.phases = new PhaseHistograms();
  tally.phases.connection({
    connectMs: 2,
    tlsMs: 3,
    certificate: { notAfter, subject: `leaf-${first}`, issuer: 'ca' },
  });
  for (let id = first; id < last; id++) {
    tally.settle(id, { kind: 'status', status: 200 }, 10);
    tally.phases.request(8, 2);
  }
  const sample = `id ${last}: /id is ${last + 1}, expected ${last}`;
  tally.settle(last, { kind: 'check', check: 'content', status: 200 }, 10, sample);
  return summarize(tally, { startedAt: 0, endedAt: 1 });
}

describe('checks and phases across shards', () => {
  it('merge exactly: statuses keep the checked ids, phases add up, the earliest certificate wins', () => {
    const merged = mergeAggregates(shard(11, 20, 5 * DAY), shard(1, 10, 3 * DAY));

    expect(merged.statuses).toEqual({ '200': 20 });
    expect(merged.ids).toEqual({ '200': '1-9,11-19', content: '10,20' });
    expect(merged.checkSamples?.content).toEqual([
      'id 10: /id is 11, expected 10',
      'id 20: /id is 21, expected 20',
    ]);
    expect(merged.phases?.connect.count).toBe(2);
    expect(merged.phases?.firstByte.count).toBe(18);
    expect(merged.certificate).toEqual({ notAfter: 3 * DAY, subject: 'leaf-1', issuer: 'ca' });
  });
});
