/**
 * undici as it comes, in a fresh process: one Pool, every id requested at once, each body dumped,
 * then the same again warm on the pool's open connections. No engine code at all: what the
 * library costs on a first sweep, the floor under the engine's cold rows (items 2 and 5).
 * Usage: node undici-cold.mjs <url-template> <ids> <warm-sweeps> [h2]   Prints one JSON line.
 * The clock starts before the pool is made, as the engine's cold invoke makes its own; neither
 * side times node's start or the import.
 */
import { Pool } from 'undici';

export interface UndiciColdResult {
  readonly firstMs: number;
  readonly warmMs: readonly number[];
}

const [template = '', idsArg = '100', warmArg = '0', protocol] = process.argv.slice(2);
const ids = Number(idsArg);
const origin = new URL(template.replace('{id}', '1')).origin;
let pool: Pool | undefined;

async function sweep(): Promise<number> {
  const started = performance.now();
  pool ??= new Pool(origin, { connections: ids, allowH2: protocol === 'h2' });
  const dispatcher = pool;
  await Promise.all(
    Array.from({ length: ids }, async (_, i) => {
      const path = new URL(template.replace('{id}', String(i + 1))).pathname;
      const { statusCode, body } = await dispatcher.request({ path, method: 'GET' });
      await body.dump();
      if (statusCode !== 200) throw new Error(`id ${i + 1}: status ${statusCode}`);
    }),
  );
  return performance.now() - started;
}

const firstMs = await sweep();
const warmMs: number[] = [];
for (let i = 0; i < Number(warmArg); i++) warmMs.push(await sweep());
process.stdout.write(`${JSON.stringify({ firstMs, warmMs } satisfies UndiciColdResult)}\n`);
process.exit(0);
