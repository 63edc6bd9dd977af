import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operators } from '@/db/schema';

export type OperatorProfile = {
  id: string;
  name: string;
  email: string;
  role: string;
  status: 'online' | 'away' | 'offline';
  capacity: number;
  telegramLinked: boolean;
};

export async function getOperatorProfile({
  db,
  operatorId,
}: {
  db: DbOrTx;
  operatorId: string;
}): Promise<OperatorProfile | null> {
  const [row] = await db
    .select({
      id: operators.id,
      name: operators.name,
      email: operators.email,
      role: operators.role,
      status: operators.status,
      capacity: operators.capacity,
      telegramUserId: operators.telegramUserId,
    })
    .from(operators)
    .where(eq(operators.id, operatorId));
  if (!row) return null;
  const { telegramUserId, ...rest } = row;
  return { ...rest, telegramLinked: telegramUserId !== null };
}
