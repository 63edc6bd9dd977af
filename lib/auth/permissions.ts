import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { clients } from '@/db/schema';
import { AppError } from '@/lib/errors';
import type { Actor, StaffActor } from './actor';

type ClientRef = { departmentId: string | null; assignedOperatorId: string | null };

/**
 * admin: everything · supervisor: clients of their departments · operator: their own clients
 * and the unassigned queue of their departments · system/telegram: internal flows only.
 */
export function canViewClient(actor: Actor, client: ClientRef): boolean {
  switch (actor.kind) {
    case 'system':
      return true;
    case 'telegram':
      return false;
    case 'operator':
    case 'api_token':
      if (actor.role === 'admin') return true;
      if (actor.role === 'supervisor') {
        return client.departmentId !== null && actor.departmentIds.includes(client.departmentId);
      }
      if (actor.kind === 'operator' && client.assignedOperatorId === actor.operatorId) return true;
      return (
        client.assignedOperatorId === null &&
        client.departmentId !== null &&
        actor.departmentIds.includes(client.departmentId)
      );
  }
}

/** Replying is allowed wherever viewing is, for people and tokens. */
export const canReplyToClient = canViewClient;

/** The same rule as canViewClient, as a SQL condition for lists. */
export function clientScopeWhere(actor: StaffActor): SQL | undefined {
  if (actor.role === 'admin') return undefined;
  const inDepartments =
    actor.departmentIds.length > 0 ? inArray(clients.departmentId, actor.departmentIds) : sql`false`;
  if (actor.role === 'supervisor') return inDepartments;
  const queue = and(isNull(clients.assignedOperatorId), inDepartments);
  if (actor.kind === 'operator') return or(eq(clients.assignedOperatorId, actor.operatorId), queue);
  return queue;
}

export function requireStaff(actor: Actor): StaffActor {
  if (actor.kind !== 'operator' && actor.kind !== 'api_token') {
    throw new AppError('forbidden', 'This action needs a signed-in operator or an API token.');
  }
  return actor;
}

export function requireRole(actor: Actor, roles: StaffActor['role'][]): StaffActor {
  const staff = requireStaff(actor);
  if (!roles.includes(staff.role)) throw new AppError('forbidden', 'Your role does not allow this action.');
  return staff;
}
