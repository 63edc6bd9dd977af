import type { Db } from '@/db/client';
import { systemActor } from '@/lib/auth/actor';
import type { Actor } from '@/lib/auth/actor';
import { drainQueue } from '@/lib/clients/drain-queue';
import { updateOperatorFormSchema } from './operator-form';
import { updateOperator } from './update-operator';

/**
 * Changes an operator from the Operators page's edit dialog or its enable/disable buttons
 * (`input`: operatorId and the changed fields only). updateOperator checks the role, writes the
 * audit row, ends the operator's sessions and returns their clients to the queue on disabling;
 * the queues that may move now (more room, new departments) are then drained in their own
 * transaction after the commit, as the REST API does. Answers the operator's id. Errors:
 * ZodError (the form's shape, an unknown field), and updateOperator's `forbidden`, `not_found`,
 * `unprocessable_entity`.
 */
export async function updateOperatorFromForm({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: unknown;
}): Promise<{ id: string }> {
  const updated = await updateOperator({ db, actor, input: updateOperatorFormSchema.parse(input) });
  if (updated.drainDepartmentIds.length > 0) {
    await db.transaction((tx) =>
      drainQueue({ tx, actor: systemActor('queue'), departmentIds: updated.drainDepartmentIds }),
    );
  }
  return { id: updated.id };
}
