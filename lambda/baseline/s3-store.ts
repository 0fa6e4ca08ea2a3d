import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type BaselineStore, baselineKey } from './store.js';

/**
 * What S3 answers a conditional write that lost: 412 when the object changed (If-Match) or
 * appeared (If-None-Match), 409 when another conditional write to the key is in progress.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
const CONFLICT_STATUSES: ReadonlySet<number> = new Set([409, 412]);

/**
 * A missing key, as S3 answers a reader without bucket-level List (the sweep function reads
 * baselines by key only): 403 AccessDenied rather than 404 NoSuchKey. A write is conditional,
 * so reading a denied baseline as none can never replace one that exists.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
function isMissingUnlisted(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    error.name === 'AccessDenied' &&
    error.$metadata?.httpStatusCode === 403
  );
}

/** One client for the life of the process, made on first use. */
let client: S3Client | undefined;

/** Baselines in the results bucket, written with S3 conditional writes. */
export function s3BaselineStore(bucket: string): BaselineStore {
  const s3 = () => {
    client ??= new S3Client({});
    return client;
  };
  return {
    async read(name, signal) {
      try {
        const object = await s3().send(
          new GetObjectCommand({ Bucket: bucket, Key: baselineKey(name) }),
          { abortSignal: signal },
        );
        const text = await object.Body?.transformToString('utf8');
        if (text === undefined || object.ETag === undefined) {
          throw new Error(`s3://${bucket}/${baselineKey(name)} came without a body or ETag`);
        }
        return { text, version: object.ETag };
      } catch (error) {
        if (error instanceof NoSuchKey || isMissingUnlisted(error)) return undefined;
        throw error;
      }
    },
    async write(name, document, version, signal) {
      try {
        await s3().send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: baselineKey(name),
            Body: JSON.stringify(document),
            ContentType: 'application/json',
            ...(version === undefined ? { IfNoneMatch: '*' } : { IfMatch: version }),
          }),
          { abortSignal: signal },
        );
        return 'written';
      } catch (error) {
        const status = (error as S3ServiceException).$metadata?.httpStatusCode;
        if (error instanceof S3ServiceException && status !== undefined) {
          if (CONFLICT_STATUSES.has(status)) return 'conflict';
        }
        throw error;
      }
    },
  };
}
