import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineStore } from '../lambda/baseline/store.js';

/** The default folder of `npm run serve`'s baselines, one `<schedule>.json` each. */
export const DEFAULT_BASELINES_DIR = '.baselines';

/**
 * Schedules' baselines in a local folder, behind the same interface as the results bucket: the
 * version is the file's SHA-256, and a write whose version no longer matches is a conflict.
 * One process at a time (`npm run serve`): the check and the rename are not atomic together.
 */
export function folderStore(dir: string): BaselineStore {
  const path = (schedule: string) => join(dir, `${schedule}.json`);
  const current = async (schedule: string) => {
    try {
      return await readFile(path(schedule), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  return {
    async read(schedule) {
      const text = await current(schedule);
      return text === undefined ? undefined : { text, version: hash(text) };
    },
    async write(schedule, response, version) {
      const text = await current(schedule);
      if ((text === undefined ? undefined : hash(text)) !== version) return 'conflict';
      await mkdir(dir, { recursive: true });
      // Written aside, then renamed: a reader never sees half a baseline.
      const temp = join(dir, `.${schedule}.${randomUUID()}.tmp`);
      await writeFile(temp, JSON.stringify(response));
      await rename(temp, path(schedule));
      return 'written';
    },
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
