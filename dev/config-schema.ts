import { writeFileSync } from 'node:fs';
import { configJsonSchemaText } from '../infra/config/json-schema-file.js';
import { CONFIG_SCHEMA_FILE } from '../infra/config/schema.js';

/** Writes status-sweep.config.schema.json from the schema the CDK app and the CLI validate with. */
// Biome then lays it out (`npm run format`); the test compares the parsed JSON.
writeFileSync(CONFIG_SCHEMA_FILE, configJsonSchemaText());
process.stdout.write(`wrote ${CONFIG_SCHEMA_FILE}\n`);
