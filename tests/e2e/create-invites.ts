// Creates single-use Telegram invites for the seeded online operators before the e2e app starts:
// `npx tsx tests/e2e/create-invites.ts` (same environment as the app), after `npm run db:seed`.
// It must run before `next start`: two processes must never open one PGlite data dir, so the
// tests cannot create invites themselves while the server holds the database.
// Writes { "<email>": "<token>" } to INVITES_FILE; the tests send `/start op_<token>`.
import fs from 'node:fs';
import path from 'node:path';
import { inArray, sql } from 'drizzle-orm';
import { closeDb, getDbHandle } from '@/db/client';
import { operators } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';
import { INVITES_FILE, INVITED_OPERATORS } from './support/e2e-env';

async function main() {
  const file = path.resolve(process.cwd(), INVITES_FILE);
  // A failed run must not leave the previous server's (used) tokens behind.
  fs.rmSync(file, { force: true });

  const { db } = await getDbHandle();
  const emails = INVITED_OPERATORS.map((o) => o.email);
  const rows = await db
    .select({ id: operators.id, email: operators.email, status: operators.status })
    .from(operators)
    .where(inArray(sql`lower(${operators.email})`, emails));

  const tokens: Record<string, string> = {};
  for (const email of emails) {
    const operator = rows.find((r) => r.email.toLowerCase() === email);
    if (!operator) throw new Error(`No operator ${email}: run \`npm run db:seed\` first.`);
    if (operator.status !== 'online') {
      throw new Error(`${email} is ${operator.status}; the Telegram e2e tests need them online.`);
    }
    const invite = await createOperatorInvite({
      db,
      actor: systemActor('e2e'),
      input: { operatorId: operator.id },
    });
    tokens[email] = invite.token;
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`);
  console.log(
    `create-invites: wrote ${emails.length} operator invites to ${path.relative(process.cwd(), file)}.`,
  );
}

main()
  .catch((error: unknown) => {
    console.error('create-invites failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
