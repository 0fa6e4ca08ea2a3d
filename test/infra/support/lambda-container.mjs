// One emulated Lambda execution environment: imports the bundled handler module once (the init
// phase), then runs each invocation the parent sends over IPC, one at a time, answering with the
// result or with the error payload Lambda's Node runtime reports ({errorType, errorMessage, trace}).
// Usage (by lambda-emulator.ts): node lambda-container.mjs <module.mjs> <function name>
import { pathToFileURL } from 'node:url';

const [modulePath, functionName] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(modulePath).href);

process.on('message', async ({ requestId, event, timeoutMs }) => {
  const endsAt = Date.now() + timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/03/12/[$LATEST]${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    process.send({ requestId, result: await handler(event, context) });
  } catch (error) {
    process.send({
      requestId,
      error: {
        errorType: error?.name ?? 'Error',
        errorMessage: error?.message ?? String(error),
        trace: String(error?.stack ?? '').split('\n'),
      },
    });
  }
});
process.send({ ready: true });
