import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { SweepHooks } from '../conclude/hooks.js';
import { isShardEvent, parseShardEvent } from '../distributed/messages.js';
import { type Config, loadConfig } from '../ground/config.js';
import { atColdStart, stackless } from '../ground/error-line.js';
import { inInvocation, withInvocationFields, writeLog } from '../ground/log.js';
import { type HttpApiHandler, isHttpApiEvent } from '../middleware/json-http.js';
import { targetedParser } from '../request/targeted.js';
import type { SweepAggregate } from '../sweep/data.js';
import { httpApi } from './http.js';
import { runsFor, type SweepOutcome } from './sweeper.js';
import { createTargetedSweeper } from './targets.js';

/** What the one export Lambda calls may return: one of the entry points' results. */
export type HandlerResult = APIGatewayProxyStructuredResultV2 | SweepOutcome | SweepAggregate;

/** The sweep function's entry points, one per event family, each with its own types. */
export interface SweepHandlers {
  /** API Gateway HTTP API events (payload 2.0): POST and GET /sweeps. */
  readonly http: HttpApiHandler;
  /**
   * A schedule's input or a direct invocation's payload; bad input throws InvalidRequestError,
   * so the invocation fails visibly (and an asynchronous one reaches the dead-letter queue).
   */
  readonly invoke: (event: unknown, context: Context) => Promise<SweepOutcome>;
  /** A shard event from the state machine; a malformed one throws InvalidEventError. */
  readonly shard: (event: unknown, context: Context) => Promise<SweepAggregate>;
  /** The one export Lambda calls: each event to its entry point, nothing else. */
  readonly dispatch: (event: unknown, context: Context) => Promise<HandlerResult>;
}

/** The sweep function, with its config and hooks captured once. */
export function createHandlers(config: Config, hooks: SweepHooks = {}): SweepHandlers {
  const runs = runsFor(config, hooks);
  // Every line written while an entry point handles an invocation carries its request id.
  const log = hooks.log ? withInvocationFields(hooks.log) : writeLog;
  // Ranges above MAX_IDS are accepted where runs can start (up to MAX_DISTRIBUTED_IDS).
  const parser = targetedParser(config, { distributed: runs !== undefined });
  // One sweeper per deployed target, chosen by the request's `target`.
  const sweeper = createTargetedSweeper(config, { ...hooks, log, runs });
  const api = httpApi(parser, sweeper, log);
  const http: HttpApiHandler = (event, context) => inInvocation(context, () => api(event, context));
  const invoke = async (event: unknown, context: Context) =>
    inInvocation(context, () => sweeper.answer(parser.fromEvent(event), context));
  const targets = config.targets.map((target) => target.name);
  const shard = async (event: unknown, context: Context) =>
    inInvocation(context, () => sweeper.sweepShard(parseShardEvent(event, targets), context));
  const dispatch = async (event: unknown, context: Context): Promise<HandlerResult> => {
    if (isHttpApiEvent(event)) return http(event, context);
    if (isShardEvent(event)) return shard(event, context);
    return invoke(event, context);
  };
  return { http, invoke, shard, dispatch };
}

/** Read once at cold start: a bad setting fails the init, loudly, before any event. */
const deployed = atColdStart(() => createHandlers(loadConfig()));
/** The function's handler (`handler.handler`). */
export const handler = stackless(deployed.dispatch);
/** The same function's schedule and invoke entry point, typed (the bench invokes it). */
export const invoke = deployed.invoke;
