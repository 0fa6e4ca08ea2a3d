/**
 * A JSON Schema (draft 2020-12) from a valibot schema, for the kinds status-sweep.config.json
 * uses. @valibot/to-json-schema is not in the tree; this walks the same schema objects in ~80
 * lines. A kind it does not know (a `custom` check) becomes `{}`: the file is still checked by
 * valibot when read, the editor only completes less.
 */

/** A JSON Schema node. */
export type JsonSchema = { [key: string]: unknown };

interface Node {
  readonly type: string;
  readonly kind?: string;
  readonly pipe?: readonly Node[];
  readonly entries?: Record<string, Node>;
  readonly item?: Node;
  readonly options?: readonly (Node | string | number)[];
  readonly wrapped?: Node;
  readonly key?: Node;
  readonly value?: Node;
  readonly literal?: unknown;
  readonly requirement?: unknown;
  readonly description?: string;
}

/** The schema of `schema`; `root` adds $schema and a title. */
export function toJsonSchema(schema: unknown, title?: string): JsonSchema {
  const body = convert(schema as Node);
  return title === undefined
    ? body
    : { $schema: 'https://json-schema.org/draft/2020-12/schema', title, ...body };
}

function convert(node: Node): JsonSchema {
  const out = base(node);
  for (const action of node.pipe?.slice(1) ?? []) refine(out, action);
  return out;
}

function base(node: Node): JsonSchema {
  switch (node.type) {
    case 'string':
    case 'boolean':
    case 'null':
      return { type: node.type };
    case 'number':
      return { type: 'number' };
    case 'picklist':
      return { enum: [...(node.options ?? [])] };
    case 'literal':
      return { const: node.literal };
    case 'optional':
    case 'nullish':
      return node.wrapped ? convert(node.wrapped) : {};
    case 'array':
      return { type: 'array', ...(node.item && { items: convert(node.item) }) };
    case 'record':
      return { type: 'object', ...(node.value && { additionalProperties: convert(node.value) }) };
    case 'union':
      return { anyOf: (node.options as Node[]).map(convert) };
    case 'object':
    case 'strict_object':
    case 'loose_object': {
      const entries = Object.entries(node.entries ?? {});
      const required = entries.filter(([, e]) => !isOptional(e)).map(([key]) => key);
      return {
        type: 'object',
        properties: Object.fromEntries(entries.map(([key, e]) => [key, convert(e)])),
        ...(required.length > 0 && { required }),
        ...(node.type === 'strict_object' && { additionalProperties: false }),
      };
    }
    default:
      return {};
  }
}

function isOptional(node: Node): boolean {
  return node.type === 'optional' || node.type === 'nullish';
}

/** The pipe's actions JSON Schema can say: bounds, patterns, formats, descriptions. */
function refine(out: JsonSchema, action: Node): void {
  const req = action.requirement;
  const array = out.type === 'array';
  switch (action.type) {
    case 'integer':
      out.type = 'integer';
      break;
    case 'min_value':
      out.minimum = req;
      break;
    case 'max_value':
      out.maximum = req;
      break;
    case 'min_length':
      out[array ? 'minItems' : 'minLength'] = req;
      break;
    case 'max_length':
      out[array ? 'maxItems' : 'maxLength'] = req;
      break;
    case 'regex':
      out.pattern = (req as RegExp).source;
      break;
    case 'email':
      out.format = 'email';
      break;
    case 'description':
      out.description = action.description;
      break;
  }
}
