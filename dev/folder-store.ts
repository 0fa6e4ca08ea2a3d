import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BaselineStore } from '../lambda/baseline/store.js';

/** The default folder of `npm run serve`'s baselines: `<schedule>.json`, `recent/<schedule>.json`. */
export const DEFAULT_BASELINES_DIR = '.baselines';

/**
 * Schedules' baselines in a local folder, behind the same interface as the results bucket: the
 * version is the file's SHA-256, and a write whose version no longer matches is a conflict.
 * One process at a time (`npm run serve`): the check and the rename are not atomic together.
 */
export function folderStore(dir: string): BaselineStore {
  const path = (name: string) => join(dir, `${name}.json`);
  const current = async (name: string) => {
    try {
      return await readFile(path(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  return {
    async read(name) {
      const text = await current(name);
      return text === undefined ? undefined : { text, version: hash(text) };
    },
    async write(name, document, version) {
      const text = await current(name);
      if ((text === undefined ? undefined : hash(text)) !== version) return 'conflict';
      const folder = dirname(path(name));
      await mkdir(folder, { recursive: true });
      // Written aside, then renamed: a reader never sees half a baseline.
      const temp = join(folder, `.${randomUUID()}.tmp`);
      await writeFile(temp, JSON.stringify(document));
      await rename(temp, path(name));
      return 'written';
    },
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
