import { SWEEPS_PATH } from '../lambda/contract/routes.js';
import type { Runs } from '../lambda/distributed/runs-port.js';
import { runsHttp } from '../lambda/entry/runs.js';
import { inInvocation, type LogWriter } from '../lambda/ground/log.js';
import { isHttpApiEvent } from '../lambda/middleware/json-http.js';
import type { LocalHandler } from './local-api.js';

/**
 * `npm run serve` with distributed sweeps, routed as API Gateway routes the deployed API:
 * `GET /sweeps/{id}` to the runs function's handler, everything else to the sweep function's.
 * `handler` is the sweep function built with the same `runs` (createHandlers(config, { runs })),
 * so a range above MAX_IDS starts a run there, and both answer as deployed: 202 with `Location`,
 * then 202 with `Retry-After` and `progress`, then the result.
 */
export function withLocalRuns(handler: LocalHandler, runs: Runs, log?: LogWriter): LocalHandler {
  const api = runsHttp(runs, log ?? (() => undefined));
  const status: typeof api = (event, context) => inInvocation(context, () => api(event, context));
  return async (event, context) => {
    if (isHttpApiEvent(event) && event.rawPath.replace(/\/$/, '').startsWith(`${SWEEPS_PATH}/`)) {
      return status(event, context);
    }
    return handler(event, context);
  };
}
