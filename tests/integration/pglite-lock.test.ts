import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, PgliteInUseError } from '@/db/client';

// Found by trying the quick start as a new user: `npm run token:create` while the demo ran on
// the same PGlite directory "worked", and each process then silently lost the other's writes.
describe('the embedded database directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-pglite-lock-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is open in one place at a time: a second opener is refused with a clear error until the first closes', async () => {
    const first = await openDb({ pgliteDir: dir });
    await expect(openDb({ pgliteDir: dir })).rejects.toBeInstanceOf(PgliteInUseError);
    await expect(openDb({ pgliteDir: dir })).rejects.toThrow(/stop the app before running scripts/);
    await first.db.execute('create table kept (v int)');
    await first.db.execute('insert into kept values (1)');
    await first.close();

    const second = await openDb({ pgliteDir: dir });
    try {
      const rows = (await second.db.execute('select v from kept')) as unknown as { rows: { v: number }[] };
      expect(rows.rows).toEqual([{ v: 1 }]);
    } finally {
      await second.close();
    }
  }, 60_000);
});
