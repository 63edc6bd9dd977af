import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operators } from '@/db/schema';
import { verifyPassword } from '@/lib/auth/password';

// Verifying against a dummy hash when the email is unknown keeps response times equal.
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

export type AuthenticatedOperator = {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'supervisor' | 'operator';
};

/** Email + password sign-in; null for any failure, without saying which part was wrong. */
export async function authenticateOperator({
  db,
  email,
  password,
}: {
  db: Db;
  email: string;
  password: string;
}): Promise<AuthenticatedOperator | null> {
  const [row] = await db
    .select({
      id: operators.id,
      name: operators.name,
      email: operators.email,
      role: operators.role,
      passwordHash: operators.passwordHash,
      isActive: operators.isActive,
    })
    .from(operators)
    .where(eq(sql`lower(${operators.email})`, email.trim().toLowerCase()));
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || !ok || !row.isActive) return null;
  await db.update(operators).set({ lastSeenAt: new Date() }).where(eq(operators.id, row.id));
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}
