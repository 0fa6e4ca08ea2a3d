import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { InputError, InvalidRequestError } from '../lambda/ground/errors.js';
import { isHttpApiEvent, jsonHttp } from '../lambda/middleware/json-http.js';
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
    return invokeOr400(invoke, text, http, context);
  };
}

/**
 * The invoke's result; bad input answered 400 with the reason in the API's JSON error body,
 * where `aws lambda invoke` would report a function error with the same message.
 */
async function invokeOr400(
  invoke: (event: unknown, context: Context) => Promise<unknown>,
  text: string,
  http: APIGatewayProxyEventV2,
  context: Context,
): Promise<unknown> {
  let refusal: InputError;
  try {
    return await invoke(JSON.parse(text), context);
  } catch (error) {
    if (error instanceof SyntaxError) {
      refusal = new InvalidRequestError(`invalid request: the body is not JSON: ${error.message}`);
    } else if (error instanceof InputError) {
      refusal = error;
    } else {
      throw error;
    }
  }
  return jsonHttp(async () => {
    throw refusal;
  })(http, context);
}
