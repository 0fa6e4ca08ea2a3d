import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { closest } from '../../lambda/ground/closest.js';
import { type JsonSchema, toJsonSchema } from './json-schema.js';
import { ConfigSchema, type StatusSweepConfig } from './schema.js';

/** A mistake in the config file: one line naming the file, the JSON path and the value. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

type Path = readonly (string | number)[];

/** `targets[0].urlTemplate` */
export function jsonPath(path: Path): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`))
    .join('');
}

const SCHEMA: JsonSchema = toJsonSchema(ConfigSchema);

/** Reads and validates `file`; throws ConfigFileError naming each problem, in one line. */
export function readConfigFile(file: string): StatusSweepConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`${file}: cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${file}: is not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseConfig(json, file);
}

/** Validates parsed JSON as a config; `file` names it in every message. */
export function parseConfig(json: unknown, file: string): StatusSweepConfig {
  const problems: string[] = [];
  const typos = new Set<string>();
  const result = v.safeParse(ConfigSchema, json);
  for (const issue of result.issues ?? []) {
    const path = (issue.path ?? []).map((item) => item.key as string | number);
    if (issue.expected === 'never') {
      const key = String(path.at(-1));
      const guess = closest(key, knownKeys(path.slice(0, -1)));
      if (guess) typos.add(jsonPath([...path.slice(0, -1), guess]));
      problems.push(
        `${jsonPath(path)} is not a known key${guess ? ` (did you mean "${guess}"?)` : ''}`,
      );
    } else {
      problems.push(`${jsonPath(path) || '(file)'}: ${describe(issue)}`);
    }
  }
  // A misspelt required key also reads as a missing one: name the typo, not both.
  const lines = problems.filter((p) => !typos.has(p.split(':')[0] ?? ''));
  if (result.success) lines.push(...crossChecks(result.output));
  if (lines.length > 0) throw new ConfigFileError(`${file}: ${lines.join('; ')}`);
  return result.output as StatusSweepConfig;
}

function describe(issue: v.BaseIssue<unknown>): string {
  if (issue.input === undefined) return 'is required';
  // Our own messages ("must be …, got …") already say both.
  if (issue.message.startsWith('must be')) return issue.message;
  const expected = issue.expected ? `expected ${issue.expected}` : issue.message;
  return `${expected}, got ${JSON.stringify(issue.input)}`;
}

/** The keys the JSON Schema allows at `path` (array indexes step into `items`). */
function knownKeys(path: Path): string[] {
  let node: JsonSchema | undefined = SCHEMA;
  for (const key of path) {
    node =
      typeof key === 'number'
        ? (node?.items as JsonSchema | undefined)
        : (node?.properties as Record<string, JsonSchema> | undefined)?.[key];
  }
  return Object.keys((node?.properties as object | undefined) ?? {});
}

/** What one object's schema cannot say: unique names, and schedules naming known targets. */
function crossChecks(config: StatusSweepConfig): string[] {
  const problems: string[] = [];
  const names = config.targets.map((t) => t.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) problems.push(`targets[${i}].name: "${name}" is named twice`);
  });
  const schedules = (config.schedules ?? []).map((s) => s.name);
  (config.schedules ?? []).forEach((schedule, i) => {
    if (schedules.indexOf(schedule.name) !== i) {
      problems.push(`schedules[${i}].name: "${schedule.name}" is named twice`);
    }
    if (schedule.target !== undefined && !names.includes(schedule.target)) {
      const guess = closest(schedule.target, names);
      problems.push(
        `schedules[${i}].target: "${schedule.target}" is not a target (${guess ? `did you mean "${guess}"? ` : ''}targets: ${names.join(', ')})`,
      );
    }
  });
  return problems;
}
