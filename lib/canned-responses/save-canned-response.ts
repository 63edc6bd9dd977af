import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { cannedResponses } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { requireCannedResponseManager } from './canned-response-access';

export const cannedResponseTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give it a title.')
  .max(60, 'Titles have 60 characters at most.')
  .regex(/^[^\s/]/, 'A title starts with a letter or digit (it is typed after /).');
export const cannedResponseBodySchema = z
  .string()
  .trim()
  .min(1, 'Write the text.')
  .max(4096, 'The text has 4,096 characters at most (one Telegram message).');

export const saveCannedResponseInput = z.object({
  /** Absent: a new canned response. */
  id: z.uuid().optional(),
  departmentId: z.uuid(),
  title: cannedResponseTitleSchema,
  body: cannedResponseBodySchema,
});

/**
 * Creates a canned response, or changes one (its title, text or department). Admins manage every
 * department's, supervisors their departments' (for a move: both departments). A title is unique
 * in its department, whatever its case. One audit row (`canned_response.created` / `.updated`,
 * with the title and department, not the text). Errors: `forbidden`, `not_found` (department or
 * response), `conflict` (title taken); invalid input throws a ZodError.
 */
export async function saveCannedResponse({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof saveCannedResponseInput>;
}): Promise<{ id: string }> {
  const { id, departmentId, title, body } = saveCannedResponseInput.parse(input);
  return db.transaction(async (tx) => {
    await requireCannedResponseManager(tx, actor, departmentId);
    const [before] = id
      ? await tx.select().from(cannedResponses).where(eq(cannedResponses.id, id)).for('update')
      : [];
    if (id && !before) throw new AppError('not_found', 'Canned response not found.');
    if (before && before.departmentId !== departmentId) {
      await requireCannedResponseManager(tx, actor, before.departmentId);
    }
    const [taken] = await tx
      .select({ id: cannedResponses.id })
      .from(cannedResponses)
      .where(
        and(
          eq(cannedResponses.departmentId, departmentId),
          sql`lower(${cannedResponses.title}) = lower(${title})`,
          id ? ne(cannedResponses.id, id) : undefined,
        ),
      );
    if (taken) throw new AppError('conflict', `This department already has a canned response “${title}”.`);
    const now = new Date();
    const operatorId = actor.kind === 'operator' ? actor.operatorId : null;
    const [saved] = before
      ? await tx
          .update(cannedResponses)
          .set({ departmentId, title, body, updatedById: operatorId, updatedAt: now })
          .where(eq(cannedResponses.id, before.id))
          .returning({ id: cannedResponses.id })
      : await tx
          .insert(cannedResponses)
          .values({ departmentId, title, body, updatedById: operatorId })
          .returning({ id: cannedResponses.id });
    if (!saved) throw new Error('canned response write returned no row');
    await recordAudit(tx, actor, {
      action: before ? 'canned_response.updated' : 'canned_response.created',
      targetType: 'canned_response',
      targetId: saved.id,
      details: {
        title,
        departmentId,
        ...(before && before.title !== title ? { previousTitle: before.title } : {}),
        ...(before && before.departmentId !== departmentId
          ? { previousDepartmentId: before.departmentId }
          : {}),
        ...(before ? { bodyChanged: before.body !== body } : {}),
      },
    });
    return { id: saved.id };
  });
}
