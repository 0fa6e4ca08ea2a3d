/**
 * The HTTP API's routes: the handlers route on them and infra/ declares them on API Gateway, so
 * both read them here (no dependencies, so the CDK app can import it).
 */

/** `POST /sweeps` and `GET /sweeps`: the sweep function. */
export const SWEEPS_PATH = '/sweeps';
export const SWEEPS_METHODS = ['GET', 'POST'] as const;

/** `GET /sweeps/{id}`: the runs function follows a distributed sweep. */
export const RUN_PATH = `${SWEEPS_PATH}/{id}`;

/** The path that reports distributed sweep `sweepId`. */
export function runPath(sweepId: string): string {
  return RUN_PATH.replace('{id}', sweepId);
}
