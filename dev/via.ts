import type { Config } from '../lambda/ground/config.js';

/** How the CLI reaches the handler: as `aws lambda invoke` would, or as API Gateway would. */
export const Via = { invoke: 'invoke', api: 'api', distributed: 'distributed' } as const;
export type Via = (typeof Via)[keyof typeof Via];

/** Which way `fields` will go: ranges above MAX_IDS run on the local distributed executor. */
export function viaFor(
  fields: Readonly<Record<string, unknown>>,
  config: Config,
  api: boolean,
): Via {
  const { start, end } = fields;
  const size = typeof start === 'number' && typeof end === 'number' ? end - start + 1 : 0;
  if (size > config.maxIds) return Via.distributed;
  return api ? Via.api : Via.invoke;
}
