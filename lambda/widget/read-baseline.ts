import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { baselineKey } from '../baseline/store.js';

/**
 * The largest baseline the widget reads: a 1,000,000-id sweep whose every id differs from the
 * next keeps ~20 MB of compact forms (its ids, unexpected ids and changes); the function's memory
 * (1,024 MB) parses that comfortably, and anything larger is refused before its body is read.
 */
export const MAX_WIDGET_BASELINE_BYTES = 32 * 1024 * 1024;

/**
 * What S3 answers a GetObject of a missing key: 404 NoSuchKey with s3:ListBucket, 403
 * AccessDenied without it (the widget's role may read `baselines/*` and list nothing).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
const MISSING_STATUSES: ReadonlySet<number> = new Set([403, 404]);

/** A baseline the widget will not read: too large for its bound. */
export class BaselineTooLargeError extends Error {
  override readonly name = 'BaselineTooLargeError';
}

/** Reads a schedule's baseline document: its text, or undefined when it has none (yet). */
export type ReadBaseline = (schedule: string, signal: AbortSignal) => Promise<string | undefined>;

/** One client for the life of the process, made on first use. */
let client: S3Client | undefined;

/**
 * Reads `baselines/<schedule>.json` from `bucket` within `signal`, refusing one over `maxBytes`
 * by its Content-Length before reading its body, or once that many bytes arrived. One S3 client
 * per process unless given one.
 */
export function s3BaselineReader(
  bucket: string,
  options: { readonly s3?: S3Client; readonly maxBytes?: number } = {},
): ReadBaseline {
  const maxBytes = options.maxBytes ?? MAX_WIDGET_BASELINE_BYTES;
  return async (schedule, signal) => {
    if (options.s3 === undefined) client ??= new S3Client({});
    const s3 = options.s3 ?? (client as S3Client);
    const Key = baselineKey(schedule);
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }), {
        abortSignal: signal,
      });
      const tooLarge = (size: number) =>
        new BaselineTooLargeError(
          `${Key} is ${size > maxBytes && Number.isFinite(size) ? megabytes(size) : 'larger'}, over the widget's ${megabytes(maxBytes)}`,
        );
      const body = object.Body as
        | (AsyncIterable<Uint8Array> & { destroy?: () => void })
        | undefined;
      if ((object.ContentLength ?? 0) > maxBytes) {
        // Not read: the socket is closed instead of draining megabytes no one will parse.
        body?.destroy?.();
        throw tooLarge(object.ContentLength ?? 0);
      }
      // Counted as it arrives too: a response without a Content-Length is bounded all the same.
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      for await (const chunk of body ?? []) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) {
          body?.destroy?.();
          throw tooLarge(Number.POSITIVE_INFINITY);
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks).toString('utf8');
    } catch (error) {
      const status = (error as S3ServiceException).$metadata?.httpStatusCode;
      if (error instanceof S3ServiceException && status !== undefined) {
        if (MISSING_STATUSES.has(status)) return undefined;
      }
      throw error;
    }
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
