import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SweepResponse } from '../contract/response.js';
import type { SweepAggregate } from '../sweep/data.js';
import { fitsResponse, type ResultSummary, summaryWithLink } from './result-link.js';

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

/** Every succeeded shard's aggregate; failed shards are absent (the reduce counts their ids). */
export async function readShardAggregates(location: ResultLocation): Promise<SweepAggregate[]> {
  const manifest = (await getJson(location.Bucket, location.Key)) as Manifest;
  const files = manifest.ResultFiles?.SUCCEEDED ?? [];
  const aggregates: SweepAggregate[] = [];
  for (const file of files) {
    const executions = (await getJson(location.Bucket, file.Key)) as ChildExecution[];
    for (const execution of executions) {
      if (typeof execution.Output === 'string') {
        aggregates.push(JSON.parse(execution.Output) as SweepAggregate);
      }
    }
  }
  return aggregates;
}

export async function writeResult(bucket: string, response: SweepResponse): Promise<string> {
  const key = resultKey(response.sweepId);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(response),
      ContentType: 'application/json',
    }),
  );
  return key;
}

/**
 * The merged result of a finished sweep, or undefined if there is none (yet). A result too big
 * for a Lambda response comes as its summary with a link to the full result.
 */
export async function readResult(
  bucket: string,
  sweepId: string,
): Promise<SweepResponse | ResultSummary | undefined> {
  const key = resultKey(sweepId);
  let text: string;
  try {
    text = await getText(bucket, key);
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
  const result = JSON.parse(text) as SweepResponse;
  if (fitsResponse(text)) return result;
  return summaryWithLink(result, Buffer.byteLength(text), { client: s3, bucket, key });
}

async function getJson(bucket: string, key: string): Promise<unknown> {
  return JSON.parse(await getText(bucket, key));
}

async function getText(bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await object.Body?.transformToString('utf8');
  if (text === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
  return text;
}
