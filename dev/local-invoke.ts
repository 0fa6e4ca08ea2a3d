import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { isHttpApiEvent } from '../lambda/middleware/json-http.js';
import type { LocalHandler } from './local-api.js';

/** The local stand-in for `aws lambda invoke`: POST it a schedule's input as the body. */
export const INVOKE_PATH = '/invoke';

/**
 * `npm run serve` with direct invokes: a POST to /invoke hands its JSON body to the function's
 * invoke entry point (as a schedule's input or `aws lambda invoke` would), so a schedule's sweep,
 * and its baseline, can be tried locally. Every other event goes to `handler` unchanged.
 */
export function withLocalInvoke(
  handler: LocalHandler,
  invoke: (event: unknown, context: Context) => Promise<unknown>,
): LocalHandler {
  return (event, context) => {
    if (!isHttpApiEvent(event)) return handler(event, context);
    const http = event as APIGatewayProxyEventV2;
    if (http.rawPath !== INVOKE_PATH || http.requestContext.http.method !== 'POST') {
      return handler(event, context);
    }
    const body = http.body ?? '{}';
    const text = http.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    return invoke(JSON.parse(text), context);
  };
}
