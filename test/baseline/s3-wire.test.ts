import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3BaselineStore } from '../../lambda/baseline/s3-store.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { type S3Endpoint, startS3Endpoint } from '../support/s3-endpoint.js';

const BUCKET = 'status-sweep-results';
const signal = () => AbortSignal.timeout(10_000);
const sweep = (sweepId: string) => ({ sweepId }) as SweepResponse;

let s3: S3Endpoint;
const saved: Record<string, string | undefined> = {};
const ENV = {
  AWS_ENDPOINT_URL_S3: '',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
beforeAll(async () => {
  s3 = await startS3Endpoint();
  for (const [name, value] of Object.entries({ ...ENV, AWS_ENDPOINT_URL_S3: s3.url })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await s3.close();
});

describe('baselines over the S3 wire protocol', () => {
  it('creates, refuses a second first write, then replaces on the ETag it read', async () => {
    const store = s3BaselineStore(BUCKET);

    const none = await store.read('nightly', signal());
    const first = await store.write('nightly', sweep('a'), undefined, signal());
    const overlapping = await store.write('nightly', sweep('b'), undefined, signal());
    const stored = await store.read('nightly', signal());
    const replaced = await store.write('nightly', sweep('c'), stored?.version, signal());
    const stale = await store.write('nightly', sweep('d'), stored?.version, signal());

    expect(none).toBeUndefined();
    expect([first, overlapping, replaced, stale]).toEqual([
      'written',
      'conflict',
      'written',
      'conflict',
    ]);
    expect(JSON.parse(stored?.text ?? '')).toEqual({ sweepId: 'a' });
    expect(JSON.parse(s3.objects.get(`${BUCKET}/baselines/nightly.json`) ?? '')).toEqual({
      sweepId: 'c',
    });
  });

  it('reads a missing baseline as none when S3 denies it (no bucket-level List), and still creates it once', async () => {
    const store = s3BaselineStore(BUCKET);
    s3.unlisted = true;
    try {
      const none = await store.read('weekly', signal());
      const first = await store.write('weekly', sweep('a'), undefined, signal());
      const second = await store.write('weekly', sweep('b'), undefined, signal());

      expect(none).toBeUndefined();
      expect([first, second]).toEqual(['written', 'conflict']);
      expect(s3.requests.filter((r) => r.path.endsWith('/weekly.json')).at(0)?.method).toBe('GET');
    } finally {
      s3.unlisted = false;
    }
  });

  it('reads a baseline that is not valid JSON as its text and version, so that it can be replaced', async () => {
    const store = s3BaselineStore(BUCKET);
    s3.objects.set(`${BUCKET}/baselines/weekly.json`, '{"sweepId":"cut');

    const stored = await store.read('weekly', signal());
    const replaced = await store.write('weekly', sweep('e'), stored?.version, signal());

    expect(stored?.text).toBe('{"sweepId":"cut');
    expect(replaced).toBe('written');
  });
});
