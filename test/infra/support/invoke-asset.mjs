// Runs in a fresh Node process, like the Lambda runtime: imports the bundled handler module as
// synthesized, invokes it once with the event file, writes {result} or {error} to the result file.
// Usage: node invoke-asset.mjs <module.mjs> <event.json> <result.json>
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const [modulePath, eventPath, resultPath] = process.argv.slice(2);
/** The Lambda timeout the context counts down from (the stack's default function timeout). */
const REMAINING_MS = 120_000;

const endsAt = Date.now() + REMAINING_MS;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: '1024',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  logStreamName: '2026/03/12/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

let outcome;
try {
  const { handler } = await import(pathToFileURL(modulePath).href);
  const event = JSON.parse(await readFile(eventPath, 'utf8'));
  outcome = { result: await handler(event, context), node: process.version };
} catch (error) {
  outcome = { error: { name: error?.name, message: error?.message }, node: process.version };
}
await writeFile(resultPath, JSON.stringify(outcome));
// Keep-alive sockets to the upstream would hold the process open; the runtime freezes it instead.
process.exit(0);
