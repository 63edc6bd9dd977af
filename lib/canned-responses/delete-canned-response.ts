import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { cannedResponses } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { requireCannedResponseManager } from './canned-response-access';

export const deleteCannedResponseInput = z.object({ id: z.uuid() });

/**
 * Deletes a canned response (admins, or a supervisor of its department), with a
 * `canned_response.deleted` audit row keeping its title and text. Errors: `not_found`,
 * `forbidden`; invalid input throws a ZodError.
 */
export async function deleteCannedResponse({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof deleteCannedResponseInput>;
}): Promise<void> {
  const { id } = deleteCannedResponseInput.parse(input);
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(cannedResponses).where(eq(cannedResponses.id, id)).for('update');
    if (!row) throw new AppError('not_found', 'Canned response not found.');
    await requireCannedResponseManager(tx, actor, row.departmentId);
    await tx.delete(cannedResponses).where(eq(cannedResponses.id, id));
    await recordAudit(tx, actor, {
      action: 'canned_response.deleted',
      targetType: 'canned_response',
      targetId: id,
      details: { title: row.title, departmentId: row.departmentId, body: row.body },
    });
  });
}
