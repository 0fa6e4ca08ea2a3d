import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stackPropsFromApp } from '../../infra/config/app-props.js';
import { warnContextSettings } from '../../infra/config/context-keys.js';
import { toJsonSchema } from '../../infra/config/json-schema.js';
import { parseConfig, readConfigFile } from '../../infra/config/read.js';
import { CONFIG_SCHEMA_FILE, ConfigSchema } from '../../infra/config/schema.js';

const FILE = 'status-sweep.config.json';
const target = { name: 'api', urlTemplate: 'https://api.example.com/items/{id}' };

/** A config file in a fresh folder, for `-c config=path`. */
function configFile(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sweep-config-')), FILE);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('the config file', () => {
  it('names the file, the JSON path and the nearest key for a misspelt one', () => {
    expect(() =>
      parseConfig({ targets: [{ name: 'api', urlTemplat: 'https://x.example/{id}' }] }, FILE),
    ).toThrow(
      'status-sweep.config.json: targets[0].urlTemplat is not a known key (did you mean "urlTemplate"?)',
    );
  });

  it('refuses an unknown key at any depth, never ignoring it', () => {
    expect(() =>
      parseConfig({ targets: [target], alarms: { alarmEmial: 'a@b.co' } }, FILE),
    ).toThrow('alarms.alarmEmial is not a known key (did you mean "alarmEmail"?)');
    expect(() => parseConfig({ targets: [target], colour: 'blue' }, FILE)).toThrow(
      'colour is not a known key',
    );
  });

  it('names the path and the value of a bad setting', () => {
    expect(() => parseConfig({ targets: [target], function: { maxConcurrency: 0 } }, FILE)).toThrow(
      /function\.maxConcurrency: expected >=1, got 0/,
    );
  });

  it('refuses a schedule naming no deployed target, suggesting the nearest', () => {
    const schedule = { name: 'n', target: 'apj', expression: 'rate(1 hour)', start: 1, end: 2 };
    expect(() => parseConfig({ targets: [target], schedules: [schedule] }, FILE)).toThrow(
      'schedules[0].target: "apj" is not a target (did you mean "api"? targets: api)',
    );
  });

  it('ships a JSON Schema generated from the schema the code validates with', () => {
    const committed = JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'));
    const generated = toJsonSchema(ConfigSchema, committed.title);

    expect(committed).toEqual(generated);
    expect(committed.properties.targets.items.additionalProperties).toBe(false);
    expect(committed.properties.targets.items.required).toEqual(['name', 'urlTemplate']);
  });

  it('accepts the example file', () => {
    const config = readConfigFile('status-sweep.config.example.json');
    expect(config.targets.map((t) => t.name)).toEqual(['pokeapi', 'pokeapi-species']);
  });
});

describe('the CDK app reads it', () => {
  it('takes -c config=path into stack props, a target default under its schedules', () => {
    const path = configFile({
      targets: [target, { ...target, name: 'canary', defaults: { concurrency: 8 } }],
      schedules: [{ name: 'n', target: 'canary', expression: 'rate(1 hour)', start: 1, end: 9 }],
      alarms: { alarmEmail: 'oncall@example.com' },
    });

    const props = stackPropsFromApp(new App({ context: { config: path } }).node);

    expect(props.function).toMatchObject({
      targetName: 'api',
      additionalTargets: [{ name: 'canary' }],
    });
    expect(props.schedules).toEqual([
      {
        name: 'n',
        target: 'canary',
        expression: 'rate(1 hour)',
        start: 1,
        end: 9,
        options: { concurrency: 8 },
      },
    ]);
    expect(props.alarms).toEqual({ alarmEmail: 'oncall@example.com' });
  });

  it('fails naming a misspelt context key and the nearest valid one', () => {
    const app = new App({ context: { alarmEmial: 'oncall@example.com' } });

    expect(() => stackPropsFromApp(app.node)).toThrow(
      'unknown CDK context key "alarmEmial" (did you mean "alarmEmail"?)',
    );
  });

  it('keeps a context setting working over the file, warning with its config key', () => {
    const path = configFile({ targets: [target] });
    const app = new App({ context: { config: path, maxIds: '500' } });

    const props = stackPropsFromApp(app.node);
    const stack = new Stack(app, 'S');
    warnContextSettings(stack);

    expect(props.function).toMatchObject({ maxIds: 500, targetName: 'api' });
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(
        '"maxIds" is deprecated: set "function.maxIds" in status-sweep.config.json',
      ),
    );
  });

  it('names the file when it is not JSON', () => {
    const path = configFile({});
    writeFileSync(path, '{ targets: ');
    expect(() => stackPropsFromApp(new App({ context: { config: path } }).node)).toThrow(
      `${path}: is not JSON`,
    );
  });
});
