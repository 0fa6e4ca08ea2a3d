import 'aws-sdk-client-mock-vitest/extend';
import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { s3BaselineStore } from '../../lambda/baseline/s3-store.js';
import type { SweepResponse } from '../../lambda/contract/response.js';

const s3 = mockClient(S3Client);
const BUCKET = 'status-sweep-results';
const signal = () => AbortSignal.timeout(5_000);
const response = { sweepId: 'now' } as SweepResponse;

/** A GetObject body as the SDK gives it: only what the store calls. */
function body(text: string) {
  return { transformToString: async () => text } as never;
}

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

beforeEach(() => {
  s3.reset();
});

describe('baselines in the results bucket', () => {
  it('reads baselines/<schedule>.json with its ETag as the version', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"sweepId":"b"}'), ETag: '"e1"' });

    const stored = await s3BaselineStore(BUCKET).read('nightly', signal());

    expect(stored).toEqual({ text: '{"sweepId":"b"}', version: '"e1"' });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: 'baselines/nightly.json',
    });
  });

  it('reads no baseline when the key does not exist', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ $metadata: {}, message: 'NoSuchKey' }));

    expect(await s3BaselineStore(BUCKET).read('nightly', signal())).toBeUndefined();
  });

  it('creates the first baseline only if there is none (If-None-Match: *)', async () => {
    s3.on(PutObjectCommand).resolves({});

    const outcome = await s3BaselineStore(BUCKET).write('nightly', response, undefined, signal());

    expect(outcome).toBe('written');
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'baselines/nightly.json',
      IfNoneMatch: '*',
      ContentType: 'application/json',
    });
    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input?.IfMatch).toBeUndefined();
    expect(JSON.parse(String(input?.Body))).toEqual(response);
  });

  it('replaces a baseline only if it is still the one read (If-Match on its ETag)', async () => {
    s3.on(PutObjectCommand).resolves({});

    await s3BaselineStore(BUCKET).write('nightly', response, '"e1"', signal());

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { IfMatch: '"e1"' });
  });

  it.each([
    ['PreconditionFailed', 412],
    ['ConditionalRequestConflict', 409],
  ])(
    'reports a conditional write that lost (%s, %i) as a conflict, not an error',
    async (name, status) => {
      s3.on(PutObjectCommand).rejects(s3Error(name, status));

      const outcome = await s3BaselineStore(BUCKET).write('nightly', response, '"e1"', signal());

      expect(outcome).toBe('conflict');
    },
  );

  it('throws any other failure for the caller to log', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));

    await expect(
      s3BaselineStore(BUCKET).write('nightly', response, undefined, signal()),
    ).rejects.toThrow('AccessDenied');
  });
});
