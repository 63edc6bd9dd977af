// `npm run operator:invite -- <email>`: prints a one-time Telegram deep link that links the
// operator's Telegram account to the desk (they open it and press Start). Needs
// TELEGRAM_BOT_USERNAME; a new invite revokes the operator's earlier unused ones.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { closeDb, getDbHandle } from '@/db/client';
import { operators } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';

const args = z.tuple([z.string().trim().toLowerCase().email()], z.string());

async function main() {
  const parsed = args.safeParse(process.argv.slice(2));
  if (!parsed.success) {
    throw new Error('Usage: npm run operator:invite -- <operator email>');
  }
  const [email] = parsed.data;
  const { db } = await getDbHandle();
  const [operator] = await db
    .select({ id: operators.id, name: operators.name })
    .from(operators)
    .where(eq(sql`lower(${operators.email})`, email));
  if (!operator) throw new Error(`No operator with email ${email}.`);
  const invite = await createOperatorInvite({
    db,
    actor: systemActor('operator-invite script'),
    input: { operatorId: operator.id },
  });
  console.log(`Telegram invite for ${operator.name} <${email}> (single use):`);
  console.log(`  ${invite.url}`);
  console.log(`Expires at ${invite.expiresAt}.`);
}

main()
  .catch((error: unknown) => {
    console.error('operator:invite failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
