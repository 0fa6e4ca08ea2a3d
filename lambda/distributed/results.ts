import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SweepResponse } from '../contract/response.js';
import type { SweepAggregate } from '../sweep/data.js';
import {
  fitsResponse,
  type ResultSummary,
  summaryOf,
  summaryWithLink,
  type UnlinkedSummary,
  withLink,
} from './result-link.js';

/** One client for the life of the process (the runs function only). */
const s3 = new S3Client({});

/** Where the Distributed Map's ResultWriter put its manifest (its ResultWriterDetails). */
export interface ResultLocation {
  readonly Bucket: string;
  readonly Key: string;
}

/**
 * ResultWriter's manifest: one file list per child-execution status.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
interface Manifest {
  readonly ResultFiles?: { readonly SUCCEEDED?: ReadonlyArray<{ readonly Key: string }> };
}

/** A child execution in a results file: its output is the shard's aggregate as a JSON string. */
interface ChildExecution {
  readonly Output?: string;
}

/** Where a finished distributed sweep's merged result is kept. */
export function resultKey(sweepId: string): string {
  return `results/${sweepId}.json`;
}

/** Where the summary of a result too big for a Lambda response is kept, beside it. */
export function summaryKey(sweepId: string): string {
  return `results/${sweepId}.summary.json`;
}

/** Every succeeded shard's aggregate; failed shards are absent (the reduce counts their ids). */
export async function readShardAggregates(
  location: ResultLocation,
  signal?: AbortSignal,
): Promise<SweepAggregate[]> {
  const manifest = (await getJson(location.Bucket, location.Key, signal)) as Manifest;
  const files = manifest.ResultFiles?.SUCCEEDED ?? [];
  const aggregates: SweepAggregate[] = [];
  for (const file of files) {
    const executions = (await getJson(location.Bucket, file.Key, signal)) as ChildExecution[];
    for (const execution of executions) {
      if (typeof execution.Output === 'string') {
        aggregates.push(JSON.parse(execution.Output) as SweepAggregate);
      }
    }
  }
  return aggregates;
}

/**
 * Keeps the merged result; one too big for a Lambda response gets its summary beside it, made
 * here once, so that every poll of GET /sweeps/{id} reads a small object instead of parsing the
 * whole result (a 4,000,000-id result took over 1 GB and 20 s a poll).
 */
export async function writeResult(
  bucket: string,
  response: SweepResponse,
  signal?: AbortSignal,
): Promise<string> {
  const key = resultKey(response.sweepId);
  const text = JSON.stringify(response);
  await put(bucket, key, text, signal);
  if (!fitsResponse(text)) {
    const summary = summaryOf(response, Buffer.byteLength(text));
    await put(bucket, summaryKey(response.sweepId), JSON.stringify(summary), signal);
  }
  return key;
}

/**
 * The merged result of a finished sweep, or undefined if there is none (yet). A result too big
 * for a Lambda response comes as its summary with a link to the full result.
 */
export async function readResult(
  bucket: string,
  sweepId: string,
  signal?: AbortSignal,
): Promise<SweepResponse | ResultSummary | undefined> {
  const key = resultKey(sweepId);
  const where = { client: s3, bucket, key };
  const summary = await getTextOrUndefined(bucket, summaryKey(sweepId), signal);
  if (summary !== undefined) return withLink(JSON.parse(summary) as UnlinkedSummary, where);
  const text = await getTextOrUndefined(bucket, key, signal);
  if (text === undefined) return undefined;
  const result = JSON.parse(text) as SweepResponse;
  if (fitsResponse(text)) return result;
  // Kept before summaries were: summarized at each read.
  return summaryWithLink(result, Buffer.byteLength(text), where);
}

async function put(bucket: string, key: string, body: string, signal?: AbortSignal) {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
    { abortSignal: signal },
  );
}

async function getTextOrUndefined(
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    return await getText(bucket, key, signal);
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

async function getJson(bucket: string, key: string, signal?: AbortSignal): Promise<unknown> {
  return JSON.parse(await getText(bucket, key, signal));
}

async function getText(bucket: string, key: string, signal?: AbortSignal): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
    abortSignal: signal,
  });
  const text = await object.Body?.transformToString('utf8');
  if (text === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
  return text;
}
