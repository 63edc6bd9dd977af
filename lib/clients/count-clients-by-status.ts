import { and, count, eq, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients, type ClientStatus } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { clientScopeWhere, requireStaff } from '@/lib/auth/permissions';
import { CLIENT_STATUSES } from './client-status';

/**
 * How many clients the actor sees in each status (the kanban's column counts), optionally in
 * one department or of one operator: one grouped count over the clients' status indexes.
 */
export async function countClientsByStatus({
  db,
  actor,
  departmentId,
  operatorId,
}: {
  db: DbOrTx;
  actor: Actor;
  departmentId?: string;
  operatorId?: string;
}): Promise<Record<ClientStatus, number>> {
  const staff = requireStaff(actor);
  const conditions: (SQL | undefined)[] = [clientScopeWhere(staff)];
  if (departmentId) conditions.push(eq(clients.departmentId, departmentId));
  if (operatorId) conditions.push(eq(clients.assignedOperatorId, operatorId));
  const rows = await db
    .select({ status: clients.status, n: count() })
    .from(clients)
    .where(and(...conditions))
    .groupBy(clients.status);
  const counts = Object.fromEntries(CLIENT_STATUSES.map((s) => [s, 0])) as Record<ClientStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
