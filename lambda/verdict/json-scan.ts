import { MISSING, type Pointer } from '../ground/pointer.js';

/*
 * The values at a few JSON Pointers, read from JSON text on demand: the containers on the
 * pointers' paths are walked, every other value is stepped over without being built, and only
 * the values pointed at go through JSON.parse. On a 1 KB record this costs a fraction of parsing
 * the whole tree (BENCHMARKS.md item 13). Iterative where a body could nest deeply; recursion
 * follows the pointers only (at most a pointer's length). Text it cannot read as JSON throws a
 * SyntaxError; parts no pointer reaches are checked for structure only, not value by value.
 */

interface Node {
  /** Pointers that end here. */
  readonly ends: number[];
  readonly children: Map<string, Node>;
  /** Every pointer at or under this node. */
  readonly all: number[];
}

/** The pointers as a trie, built once per rule. */
export function pointerTrie(pointers: readonly Pointer[]): Node {
  const root: Node = { ends: [], children: new Map(), all: [] };
  pointers.forEach((pointer, index) => {
    let node = root;
    node.all.push(index);
    for (const token of pointer) {
      let child = node.children.get(token);
      if (!child) {
        child = { ends: [], children: new Map(), all: [] };
        node.children.set(token, child);
      }
      child.all.push(index);
      node = child;
    }
    node.ends.push(index);
  });
  return root;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** The value at each pointer of `trie` (MISSING where none), in the pointers' order. */
export function pick(text: string, trie: Node, count: number): unknown[] {
  const values: unknown[] = new Array(count).fill(MISSING);
  const scanner = new Scanner(text, values);
  const end = scanner.value(scanner.space(0), trie);
  if (scanner.space(end) !== text.length) throw new SyntaxError('text after the JSON value');
  return values;
}

class Scanner {
  constructor(
    readonly text: string,
    readonly values: unknown[],
  ) {}

  /** Reads the value at `at` for `node`; returns where it ends. */
  value(at: number, node: Node): number {
    for (const i of node.all) this.values[i] = MISSING; // a later duplicate key replaces all
    const c = this.text.charCodeAt(at);
    if (node.ends.length > 0) {
      const end = this.skip(at);
      const value = JSON.parse(this.text.slice(at, end)) as unknown;
      for (const i of node.ends) this.values[i] = value;
      if (node.children.size > 0) this.resolveUnder(value, node);
      return end;
    }
    if (c === 0x7b /* { */) return this.object(at, node);
    if (c === 0x5b /* [ */) return this.array(at, node);
    return this.skip(at);
  }

  object(at: number, node: Node): number {
    let i = this.space(at + 1);
    if (this.text.charCodeAt(i) === 0x7d /* } */) return i + 1;
    for (;;) {
      if (this.text.charCodeAt(i) !== 0x22) throw new SyntaxError(`expected a key at ${i}`);
      const keyEnd = this.string(i);
      const raw = this.text.slice(i + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      i = this.space(keyEnd);
      if (this.text.charCodeAt(i) !== 0x3a /* : */) throw new SyntaxError(`expected ":" at ${i}`);
      i = this.space(i + 1);
      const child = node.children.get(key);
      i = this.space(child ? this.value(i, child) : this.skip(i));
      const c = this.text.charCodeAt(i);
      if (c === 0x7d) return i + 1;
      if (c !== 0x2c /* , */) throw new SyntaxError(`expected "," or "}" at ${i}`);
      i = this.space(i + 1);
    }
  }

  array(at: number, node: Node): number {
    let i = this.space(at + 1);
    if (this.text.charCodeAt(i) === 0x5d /* ] */) return i + 1;
    for (let index = 0; ; index++) {
      const child = node.children.get(String(index));
      i = this.space(child ? this.value(i, child) : this.skip(i));
      const c = this.text.charCodeAt(i);
      if (c === 0x5d) return i + 1;
      if (c !== 0x2c) throw new SyntaxError(`expected "," or "]" at ${i}`);
      i = this.space(i + 1);
    }
  }

  /**
   * Steps over the value at `at` (nesting kept on a stack of closers, no recursion); returns
   * where it ends. Brackets must match and every scalar must be one; commas and colons inside
   * are not checked.
   */
  skip(at: number): number {
    const { text } = this;
    // One byte per level open: a body nested a million deep holds 1 MB here, not 8.
    let closers: Uint8Array = new Uint8Array(64);
    let depth = 0;
    let i = at;
    do {
      const c = text.charCodeAt(i);
      if (c === 0x22) i = this.string(i);
      else if (c === 0x7b || c === 0x5b) {
        if (depth === closers.length) closers = grow(closers);
        closers[depth++] = c + 2; // "{" + 2 is "}", "[" + 2 is "]"
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 0 || closers[--depth] !== c) {
          throw new SyntaxError(`unexpected "${text[i]}" at ${i}`);
        }
        i++;
      } else if (depth > 0 && (c === 0x2c || c === 0x3a || isSpace(c))) i++;
      else {
        const start = i;
        while (i < text.length && !isDelimiter(text.charCodeAt(i))) i++;
        if (!isScalar(text.slice(start, i))) throw new SyntaxError(`expected a value at ${start}`);
      }
    } while (depth > 0 && i < text.length);
    if (depth > 0) throw new SyntaxError('unexpected end of JSON');
    return i;
  }

  /** The end (past the closing quote) of the string starting at `at`. */
  string(at: number): number {
    const { text } = this;
    // indexOf finds each candidate quote natively; one after an odd run of "\\" is escaped.
    for (let i = text.indexOf('"', at + 1); i !== -1; i = text.indexOf('"', i + 1)) {
      let j = i - 1;
      while (text.charCodeAt(j) === 0x5c) j--;
      if ((i - 1 - j) % 2 === 0) return i + 1;
    }
    throw new SyntaxError('unterminated string');
  }

  space(at: number): number {
    let i = at;
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** Pointers that go on under a value pointed at itself: walked in the parsed value. */
  resolveUnder(value: unknown, node: Node): void {
    for (const [token, child] of node.children) {
      const next = step(value, token);
      if (next === MISSING) continue;
      for (const i of child.ends) this.values[i] = next;
      if (child.children.size > 0) this.resolveUnder(next, child);
    }
  }
}

function step(value: unknown, token: string): unknown {
  if (Array.isArray(value)) {
    return ARRAY_INDEX.test(token) && Number(token) < value.length ? value[Number(token)] : MISSING;
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, token)) {
    return (value as Record<string, unknown>)[token];
  }
  return MISSING;
}

function grow(stack: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(stack.length * 2);
  bigger.set(stack);
  return bigger;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A JSON number, true, false or null. */
function isScalar(token: string): boolean {
  return token === 'true' || token === 'false' || token === 'null' || NUMBER.test(token);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDelimiter(c: number): boolean {
  return c === 0x2c || c === 0x7d || c === 0x5d || c === 0x3a || c === 0x22 || isSpace(c);
}
