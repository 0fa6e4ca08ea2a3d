import type { Config } from '../ground/config.js';
import { ConfigError } from '../ground/errors.js';
import type { Runs } from './runs-port.js';
import { startRun } from './start.js';

/**
 * Runs on the state machine: StartExecution (the execution's name is the sweep id); reading one
 * (DescribeExecution, the Map Run's item counts, the result in the results bucket: status.ts) is
 * the runs function's, which passes `read`. The sweep function only starts runs, so its bundle
 * carries no reading side (and no S3 presigner).
 */
export function stepFunctionsRuns(
  config: Config,
  stateMachineArn: string,
  read?: Runs['status'],
): Runs {
  return {
    start: (request, sweepId, invocationMs) =>
      startRun(request, sweepId, config, stateMachineArn, invocationMs),
    status:
      read ??
      (async () => {
        throw new ConfigError('runs are read by the runs function (GET /sweeps/{id})');
      }),
  };
}
