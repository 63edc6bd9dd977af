import type { Db } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';
import { createOperator } from './create-operator';
import { createOperatorFormSchema } from './operator-form';

/**
 * Creates an operator from the Operators page's dialog (`input` as the browser sent it: name,
 * email, optional password and capacity, role, departmentIds). Answers the new operator's id
 * and name. Role check and audit row are createOperator's. Errors: ZodError (the form's shape,
 * an unknown field such as `status`), and createOperator's `forbidden`, `conflict`,
 * `unprocessable_entity`.
 */
export async function createOperatorFromForm({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: unknown;
}): Promise<{ id: string; name: string }> {
  const created = await createOperator({ db, actor, input: createOperatorFormSchema.parse(input) });
  return { id: created.id, name: created.name };
}
