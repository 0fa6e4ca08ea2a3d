import { toJsonSchema } from './json-schema.js';
import { ConfigSchema } from './schema.js';

/** The text of status-sweep.config.schema.json (a test keeps the committed file equal to it). */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(toJsonSchema(ConfigSchema, 'Status Sweep deployment (status-sweep.config.json)'), null, 2)}\n`;
}
