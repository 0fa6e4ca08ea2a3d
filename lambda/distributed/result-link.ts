import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { SweepResponse } from '../contract/response.js';
import { countIds } from '../sweep/data.js';
import { LAMBDA_MAX_RESPONSE_BYTES } from './limits.js';

/**
 * How long a link to a full result works. Well inside the lifetime of the runs function's
 * temporary credentials, which also end a presigned URL.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
 */
export const RESULT_LINK_TTL_SECONDS = 900;
/** Room in the Lambda response for the HTTP status, headers and the body's JSON escaping. */
const RESPONSE_ENVELOPE_BYTES = 16_384;

/** Fields a summary leaves out, as the `omitted` list names them. */
export type OmittedField = 'ids' | 'unexpectedIds' | 'changes';

/**
 * A result too big for a Lambda response: everything but the `ids`, and a time-limited link to
 * the full result (the same JSON, ids included) in the results bucket. When even that is too big
 * (`unexpectedIds` and the ranges in `changes` grow with fragmented outcomes), the ranges go too and
 * `changes` keeps only its counts; `omitted` names what the link alone has.
 */
export interface ResultSummary extends Omit<SweepResponse, 'ids' | 'unexpectedIds' | 'changes'> {
  readonly ids?: never;
  readonly unexpectedIds?: string;
  readonly changes?: SweepResponse['changes'];
  /** With `changes` omitted: how many ids fell in each category and each transition. */
  readonly changeCounts?: Readonly<Record<string, number>>;
  readonly omitted: readonly OmittedField[];
  /** A presigned S3 GET of the full result. */
  readonly resultUrl: string;
  readonly resultUrlExpiresAt: string;
  /** Size of the full result in bytes. */
  readonly resultBytes: number;
}

/**
 * True when `text`, as the body of an HTTP API response, fits a Lambda response with `extra`
 * bytes to spare.
 */
export function fitsResponse(text: string, extra = 0): boolean {
  const room = LAMBDA_MAX_RESPONSE_BYTES - RESPONSE_ENVELOPE_BYTES - extra;
  // Escaped, every character takes a byte at least, plus the quotes: a text longer than the room
  // cannot fit, and is not escaped just to say so (a 17 MB result took ~100 ms).
  if (text.length + 2 > room) return false;
  // The body travels as a JSON string inside the response object, escaped.
  return Buffer.byteLength(JSON.stringify(text)) <= room;
}

/** What a summary holds before its link is made (at each read: a link expires). */
export type UnlinkedSummary = Omit<ResultSummary, 'resultUrl' | 'resultUrlExpiresAt'>;

/**
 * Room for the link in a summary: a presigned URL carries the function's session token (about
 * 1 KB) besides the signature.
 */
const LINK_BYTES = 4_096;

/**
 * The summary of a full result of `bytes`, without its link: pure, so that the reduce step
 * computes it once and GET /sweeps/{id} only reads it.
 */
export function summaryOf(result: SweepResponse, bytes: number): UnlinkedSummary {
  const { ids: _ids, ...withoutIds } = result;
  const summary: UnlinkedSummary = { ...withoutIds, omitted: ['ids'], resultBytes: bytes };
  if (fitsResponse(JSON.stringify(summary), LINK_BYTES)) return summary;
  const { unexpectedIds: _unexpected, changes, ...counts } = withoutIds;
  return {
    ...counts,
    ...(changes && { changeCounts: countsOf(changes) }),
    omitted: ['ids', 'unexpectedIds', 'changes'],
    resultBytes: bytes,
  };
}

/** A summary with a time-limited link to the full result kept at s3://bucket/key. */
export async function withLink(
  summary: UnlinkedSummary,
  where: { readonly client: S3Client; readonly bucket: string; readonly key: string },
  now: number = Date.now(),
): Promise<ResultSummary> {
  const resultUrl = await getSignedUrl(
    where.client,
    new GetObjectCommand({ Bucket: where.bucket, Key: where.key }),
    { expiresIn: RESULT_LINK_TTL_SECONDS },
  );
  return {
    ...summary,
    resultUrl,
    resultUrlExpiresAt: new Date(now + RESULT_LINK_TTL_SECONDS * 1000).toISOString(),
  };
}

/** The summary of a full result kept at s3://bucket/key, with a link to it. */
export async function summaryWithLink(
  result: SweepResponse,
  bytes: number,
  where: { readonly client: S3Client; readonly bucket: string; readonly key: string },
  now: number = Date.now(),
): Promise<ResultSummary> {
  return withLink(summaryOf(result, bytes), where, now);
}

/** The counts of a `changes`: each category's, and each transition's ids counted. */
function countsOf(changes: NonNullable<SweepResponse['changes']>): Record<string, number> {
  const { baseline: _baseline, transitions, ...categories } = changes;
  return {
    ...Object.fromEntries(Object.entries(categories).map(([name, set]) => [name, set.count])),
    ...Object.fromEntries(
      Object.entries(transitions).map(([step, ids]) => [`transition ${step}`, countIds(ids)]),
    ),
  };
}
