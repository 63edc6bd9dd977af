import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The check that keeps client state with its owner (eslint.config.mjs, clientWriteRestriction):
// proven here to fire on each kind of direct write outside lib/clients/ and nowhere else.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restricted(relativePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relativePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const drizzleWrite = `import { clients } from '@/db/schema';
declare const db: { update: (t: unknown) => unknown };
export const x = db.update(clients);
`;
const rawWrite = `import { sql } from 'drizzle-orm';
export const x = sql\`update clients set status = 'resolved'\`;
`;
const rawInsert = `import { sql } from 'drizzle-orm';
export const x = sql\`insert into clients (id) values (1)\`;
`;

describe('client state has one owner (lint check)', () => {
  it('refuses drizzle and raw-SQL client writes outside lib/clients/', async () => {
    expect(await restricted('lib/telegram/handlers/example.ts', drizzleWrite)).toHaveLength(1);
    expect(await restricted('app/(dashboard)/example.ts', rawWrite)).toHaveLength(1);
    expect(await restricted('lib/messages/example.ts', rawInsert)).toHaveLength(1);
  }, 60_000);

  it('allows them inside lib/clients/ and reading clients anywhere', async () => {
    expect(await restricted('lib/clients/example.ts', drizzleWrite)).toEqual([]);
    expect(await restricted('lib/clients/example.ts', rawWrite)).toEqual([]);
    const read = `import { sql } from 'drizzle-orm';\nexport const x = sql\`select * from clients\`;\n`;
    expect(await restricted('lib/telegram/example.ts', read)).toEqual([]);
  }, 60_000);
});
