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
  activeClients: number;
  telegramLinked: boolean;
  /** Dashboard language and time zone the operator chose (null: the browser's). */
  locale: string | null;
  timeZone: string | null;
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
      activeClients: operators.activeClients,
      telegramUserId: operators.telegramUserId,
      locale: operators.locale,
      timeZone: operators.timeZone,
    })
    .from(operators)
    .where(eq(operators.id, operatorId));
  if (!row) return null;
  const { telegramUserId, ...rest } = row;
  return { ...rest, telegramLinked: telegramUserId !== null };
}
