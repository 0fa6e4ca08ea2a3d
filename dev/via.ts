import { isRunSized } from '../lambda/distributed/runs-port.js';
import type { Config } from '../lambda/ground/config.js';

/** How the CLI reaches the handler: as `aws lambda invoke` would, or as API Gateway would. */
export const Via = { invoke: 'invoke', api: 'api', distributed: 'distributed' } as const;
export type Via = (typeof Via)[keyof typeof Via];

/** Which way `fields` will go: where the sweeper would start a run, the local runs. */
export function viaFor(
  fields: Readonly<Record<string, unknown>>,
  config: Config,
  api: boolean,
): Via {
  const { start, end } = fields;
  const sized = typeof start === 'number' && typeof end === 'number';
  if (sized && isRunSized({ start, end }, config.maxIds)) return Via.distributed;
  return api ? Via.api : Via.invoke;
}
