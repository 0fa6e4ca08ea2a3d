import { rmSync } from 'node:fs';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { SweepResponse } from '../../../lambda/contract/response.js';
import { planFor, runInput } from '../../../lambda/distributed/start.js';
import { loadConfig } from '../../../lambda/ground/config.js';
import { Trigger } from '../../../lambda/ground/options.js';
import {
  type CloudWatchEndpoint,
  startCloudWatchEndpoint,
} from '../../support/cloudwatch-endpoint.js';
import { startEventBridgeEndpoint } from '../../support/eventbridge-endpoint.js';
import {
  type FaultUpstream,
  type Script,
  startFaultUpstream,
} from '../../support/fault-upstream.js';
import { type S3Endpoint, startS3Endpoint } from '../../support/s3-endpoint.js';
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '../../support/secrets-manager-endpoint.js';
import { RESULTS_BUCKET } from './deployed-env.js';
import { emulateDistributedMaps } from './distributed-map.js';
import { type EmulatedFunction, LambdaEmulator } from './lambda-emulator.js';
import { type SynthesizedFunction, synthesizeBundled } from './synth-bundles.js';

/**
 * The stack as synthesized, runnable: its state machine's definition on aws-local-stepfunctions,
 * its two functions' bundles in emulated Lambda execution environments, and loopback stand-ins
 * for the target, S3, CloudWatch and Secrets Manager.
 */

/** The headers secret every sweep reads. */
export const SECRET = 'sweep/headers';
/** Retry waits, shortened from the definition's seconds (distributed.test.ts checks those). */
const RETRY_WAIT_MS = 50;

export type Execution =
  | { readonly status: 'SUCCEEDED'; readonly output: { sweepId: string; resultKey: string } }
  | { readonly status: 'FAILED'; readonly error: string; readonly cause: string };

export interface ExecutedStack {
  readonly sweepFn: LambdaEmulator;
  readonly runsFn: LambdaEmulator;
  readonly upstream: FaultUpstream;
  readonly s3: S3Endpoint;
  readonly secrets: SecretsManagerEndpoint;
  /** Runs the synthesized definition on `input` to its end. */
  execute(input: object): Promise<Execution>;
  /** The execution input the sweep function builds for `start..end` (its own plan). */
  inputFor(start: number, end: number): ReturnType<typeof runInput>;
  /** The merged result the reduce kept in the results bucket. */
  keptResult(execution: Execution): SweepResponse & { failedShards: unknown[] };
  close(): Promise<void>;
}

export async function startExecutedStack(options: {
  readonly shardSize: number;
  /** Each function's timeout: seconds here, where the deployed ones have minutes. */
  readonly timeoutMs: number;
  readonly target: Script;
}): Promise<ExecutedStack> {
  const stack = synthesizeBundled({
    function: { targetHeadersSecret: SECRET },
    distributed: { shardSize: options.shardSize },
  });
  const upstream = await startFaultUpstream(options.target, { latencyMs: 5 });
  const s3 = await startS3Endpoint();
  const cloudwatch: CloudWatchEndpoint = await startCloudWatchEndpoint();
  const events = await startEventBridgeEndpoint();
  const secrets = await startSecretsManagerEndpoint();
  secrets.put(SECRET, '{"X-Api-Key":"k-run"}');
  const emulated = (fn: SynthesizedFunction): EmulatedFunction => ({
    name: fn.logicalId,
    modulePath: fn.modulePath,
    timeoutMs: options.timeoutMs,
    environment: {
      PATH: process.env.PATH ?? '',
      ...fn.environment,
      // The only changes to the deployed environment: loopback stands in for the target and AWS.
      TARGET_URL_TEMPLATE: upstream.urlTemplate,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: events.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    },
  });
  const sweepFn = new LambdaEmulator(emulated(stack.sweep));
  const runsFn = new LambdaEmulator(emulated(stack.runs));
  const functions = { [stack.sweep.arn]: sweepFn, [stack.runs.arn]: runsFn };

  /** Step Functions' optimized Lambda integration (lambda:invoke): the payload, or the error. */
  const lambdaInvoke = async (input: { FunctionName: string; Payload: unknown }) => {
    const fn = functions[input.FunctionName];
    if (fn === undefined) throw new Error(`no function ${input.FunctionName}`);
    return { ExecutedVersion: '$LATEST', Payload: await fn.invoke(input.Payload), StatusCode: 200 };
  };

  return {
    sweepFn,
    runsFn,
    upstream,
    s3,
    secrets,
    async execute(input) {
      const { definition, mapRunEnds } = emulateDistributedMaps(stack.definition, {
        put: (bucket, key, body) => s3.objects.set(`${bucket}/${key}`, body),
      });
      const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: false },
      });
      const execution = machine.run(input as never, {
        overrides: {
          taskResourceLocalHandlers: {
            Shard: lambdaInvoke as never,
            Reduce: lambdaInvoke as never,
            ...(mapRunEnds as Record<string, never>),
          },
          retryIntervalOverrides: { Shard: RETRY_WAIT_MS, Reduce: RETRY_WAIT_MS },
        },
      });
      try {
        return { status: 'SUCCEEDED', output: (await execution.result) as never };
      } catch (error) {
        if (!(error instanceof ExecutionError)) throw error;
        const cause = error.cause as Error;
        return { status: 'FAILED', error: cause.name, cause: cause.message };
      }
    },
    inputFor(start, end) {
      const request = {
        trigger: Trigger.invoke,
        range: { start, end },
        concurrency: 4,
        timeoutMs: 2_000,
        retries: 0,
      };
      const config = loadConfig(stack.sweep.environment);
      return runInput(request, crypto.randomUUID(), planFor(request, config));
    },
    keptResult(execution) {
      if (execution.status !== 'SUCCEEDED') throw new Error(JSON.stringify(execution));
      const text = s3.objects.get(`${RESULTS_BUCKET}/${execution.output.resultKey}`);
      if (text === undefined) throw new Error('no result kept');
      return JSON.parse(text);
    },
    async close() {
      await sweepFn.close();
      await runsFn.close();
      await upstream.close();
      await s3.close();
      await cloudwatch.close();
      await events.close();
      await secrets.close();
      rmSync(stack.outdir, { recursive: true, force: true });
    },
  };
}
