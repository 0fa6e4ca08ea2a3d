/**
 * What aws-local-stepfunctions leaves out of a Distributed Map, emulated by AWS's documented
 * semantics, and nothing else. The package runs a `Map` in DISTRIBUTED mode as an inline Map (its
 * ItemsPath, ItemSelector, MaxConcurrency, ResultPath and the child's Retry it runs as written), but
 * it ignores ProcessorConfig, ResultWriter and ToleratedFailurePercentage, and it gives a Task
 * without TimeoutSeconds 60 s. Here:
 * - each child execution's failure is its own, as a child workflow execution's is: a Catch-all
 *   on every state of the item processor turns a child that failed for good (after its retries)
 *   into a failed item instead of a failed Map;
 * - after the items, one step stands for the Map Run's end: it writes the children's results as
 *   ResultWriter does (`<Prefix>/<map run id>/manifest.json`, `SUCCEEDED_0.json`, `FAILED_0.json`),
 *   fails the state with States.ExceedToleratedFailureThreshold when the failed items' share
 *   exceeds ToleratedFailurePercentage, and else outputs `{MapRunArn, ResultWriterDetails}`;
 * - a Task without TimeoutSeconds waits as long as a timer can (AWS sets no timeout by default:
 *   the Lambda function's own timeout ends it).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/sfn-stuck-execution.html
 */

type State = Record<string, unknown>;
export interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

/** The name of the step that ends a Distributed Map's run, after its items. */
export const mapRunEnd = (map: string) => `${map} (Map Run end)`;
const CHILD_FAILED = 'Child execution failed';
/** The longest setTimeout (2^31 - 1 ms) in whole seconds: longer would fire at once. */
const NO_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** One item of a Map Run: a child's output, or how it failed. */
type Item = { readonly childFailed: { Error: string; Cause: string } } | unknown;

/** Where ResultWriter writes: the stand-in bucket, by "bucket/key". */
export interface ResultStore {
  put(bucket: string, key: string, body: string): void;
}

/** The definition to run, and the local handler of each Map Run's end. */
export interface Emulation {
  readonly definition: Definition;
  readonly mapRunEnds: Record<string, (items: Item[]) => Promise<unknown>>;
}

export function emulateDistributedMaps(definition: Definition, store: ResultStore): Emulation {
  const copy = structuredClone(definition) as { StartAt: string; States: Record<string, State> };
  const mapRunEnds: Emulation['mapRunEnds'] = {};
  for (const [name, state] of Object.entries(copy.States)) {
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined) {
      state.TimeoutSeconds = NO_TIMEOUT_SECONDS;
    }
    const processor = state.ItemProcessor as
      | { ProcessorConfig?: { Mode?: string }; States: Record<string, State> }
      | undefined;
    if (state.Type !== 'Map' || processor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') continue;
    for (const unsupported of ['ResultSelector', 'OutputPath', 'ItemReader', 'ItemBatcher']) {
      if (unsupported in state) throw new Error(`${name}: ${unsupported} is not emulated`);
    }
    for (const child of Object.values(processor.States)) {
      if (child.Type === 'Task' && child.TimeoutSeconds === undefined) {
        child.TimeoutSeconds = NO_TIMEOUT_SECONDS;
      }
      child.Catch = [
        ...((child.Catch as unknown[]) ?? []),
        { ErrorEquals: ['States.ALL'], Next: CHILD_FAILED },
      ];
    }
    processor.States[CHILD_FAILED] = {
      Type: 'Pass',
      Parameters: { 'childFailed.$': '$' },
      End: true,
    };
    const resultPath = (state.ResultPath as string | undefined) ?? '$';
    const end = mapRunEnd(name);
    copy.States[end] = {
      Type: 'Task',
      Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:MapRunEnd',
      InputPath: resultPath,
      ResultPath: resultPath,
      TimeoutSeconds: NO_TIMEOUT_SECONDS,
      ...(state.End ? { End: true } : { Next: state.Next }),
    };
    delete state.End;
    state.Next = end;
    mapRunEnds[end] = (items) => endMapRun(name, state, items, store);
  }
  return { definition: copy, mapRunEnds };
}

let mapRuns = 0;

async function endMapRun(name: string, state: State, items: Item[], store: ResultStore) {
  const mapRunId = `${name}-${++mapRuns}`;
  const mapRunArn = `arn:aws:states:eu-west-1:123456789012:mapRun:StatusSweep/${mapRunId}`;
  const failed = items.filter(isFailed);
  const writer = state.ResultWriter as
    | { Parameters: { Bucket: string; Prefix?: string } }
    | undefined;
  let details: { Bucket: string; Key: string } | undefined;
  if (writer) {
    const { Bucket, Prefix = '' } = writer.Parameters;
    const folder = `${Prefix.replace(/\/?$/, '/')}${mapRunId}/`;
    const execution = (status: string, i: number) => ({
      ExecutionArn: `${mapRunArn}:${i}`,
      Name: String(i),
      StateMachineArn: mapRunArn,
      Status: status,
    });
    const succeeded = items.flatMap((item, i) =>
      isFailed(item) ? [] : [{ ...execution('SUCCEEDED', i), Output: JSON.stringify(item) }],
    );
    const failures = items.flatMap((item, i) =>
      isFailed(item) ? [{ ...execution('FAILED', i), ...item.childFailed }] : [],
    );
    const files: Record<string, Array<{ Key: string; Size: number }>> = {
      FAILED: [],
      PENDING: [],
      SUCCEEDED: [],
    };
    for (const [status, entries] of [
      ['SUCCEEDED', succeeded],
      ['FAILED', failures],
    ] as const) {
      if (entries.length === 0) continue;
      const key = `${folder}${status}_0.json`;
      const body = JSON.stringify(entries);
      store.put(Bucket, key, body);
      files[status]?.push({ Key: key, Size: Buffer.byteLength(body) });
    }
    details = { Bucket, Key: `${folder}manifest.json` };
    store.put(
      Bucket,
      details.Key,
      JSON.stringify({ DestinationBucket: Bucket, MapRunArn: mapRunArn, ResultFiles: files }),
    );
  }
  const tolerated = (state.ToleratedFailurePercentage as number | undefined) ?? 0;
  if (items.length > 0 && (failed.length / items.length) * 100 > tolerated) {
    const error = new Error(
      `The specified tolerated failure threshold was exceeded: ${failed.length} of ${items.length} items failed`,
    );
    error.name = 'States.ExceedToleratedFailureThreshold';
    throw error;
  }
  return details ? { MapRunArn: mapRunArn, ResultWriterDetails: details } : items;
}

function isFailed(item: Item): item is { childFailed: { Error: string; Cause: string } } {
  return typeof item === 'object' && item !== null && 'childFailed' in item;
}
