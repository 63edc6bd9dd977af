import fs from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey, type FileStorage } from './storage';

/** Files under a local directory; content types live beside them in `<file>.type`. */
export function createLocalStorage(root: string): FileStorage {
  const base = path.resolve(/* turbopackIgnore: true */ process.cwd(), root);
  const fileFor = (key: string) => {
    assertSafeKey(key);
    return path.join(base, ...key.split('/'));
  };
  return {
    kind: 'local',
    async put(key, body, options) {
      const file = fileFor(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, body);
      await fs.rename(tmp, file);
      if (options?.contentType) await fs.writeFile(`${file}.type`, options.contentType);
    },
    async get(key) {
      const file = fileFor(key);
      try {
        const body = await fs.readFile(file);
        const contentType = await fs.readFile(`${file}.type`, 'utf8').catch(() => undefined);
        return { body: new Uint8Array(body), contentType };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      const file = fileFor(key);
      await fs.rm(file, { force: true });
      await fs.rm(`${file}.type`, { force: true });
    },
  };
}
