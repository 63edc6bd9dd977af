import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { cannedResponses, departments } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';

/** A canned response as the composer and the management page show it. */
export type CannedResponseDto = {
  id: string;
  departmentId: string;
  departmentName: string;
  /** What the operator types after `/` to find it. */
  title: string;
  body: string;
  updatedAt: string;
};

/** More than any department keeps; the list is not paged. */
export const CANNED_RESPONSES_LIMIT = 500;

export const listCannedResponsesInput = z.object({ departmentId: z.uuid().optional() });

/**
 * The canned responses the actor may use — every department's for admins, their departments'
 * for everyone else — or one department's, ordered by department and title; at most
 * CANNED_RESPONSES_LIMIT. A department the actor does not belong to gives an empty list.
 * Errors: `forbidden` for non-staff actors; invalid input throws a ZodError.
 */
export async function listCannedResponses({
  db,
  actor,
  input = {},
}: {
  db: DbOrTx;
  actor: Actor;
  input?: z.input<typeof listCannedResponsesInput>;
}): Promise<CannedResponseDto[]> {
  const staff = requireStaff(actor);
  const { departmentId } = listCannedResponsesInput.parse(input);
  const scope =
    staff.role === 'admin'
      ? undefined
      : staff.departmentIds.length > 0
        ? inArray(cannedResponses.departmentId, staff.departmentIds)
        : sql`false`;
  const rows = await db
    .select({
      id: cannedResponses.id,
      departmentId: cannedResponses.departmentId,
      departmentName: departments.name,
      title: cannedResponses.title,
      body: cannedResponses.body,
      updatedAt: cannedResponses.updatedAt,
    })
    .from(cannedResponses)
    .innerJoin(departments, eq(departments.id, cannedResponses.departmentId))
    .where(and(scope, departmentId ? eq(cannedResponses.departmentId, departmentId) : undefined))
    .orderBy(asc(departments.sortOrder), asc(departments.name), asc(sql`lower(${cannedResponses.title})`))
    .limit(CANNED_RESPONSES_LIMIT);
  return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
}
