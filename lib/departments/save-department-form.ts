import type { Db } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';
import { createDepartment } from './create-department';
import { departmentFormSchema, formToDepartmentInput } from './department-form';
import { updateDepartment } from './update-department';

/**
 * Saves Settings → Departments' form: without `departmentId` creates the department, with it
 * changes every field to the form's values (only the ones that differ are written and audited).
 * Role checks, the default-flag rules and the audit rows are createDepartment's and
 * updateDepartment's. Answers the department's id and, for an edit, the fields that changed.
 * Errors: ZodError (the form's shape, a day's hours not written as `09:00-18:00`, or a field the
 * domain refuses), and the domain's `forbidden`, `not_found`, `conflict`,
 * `unprocessable_entity`.
 */
export async function saveDepartmentForm({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: unknown;
}): Promise<{ id: string; created: boolean; changed: string[] }> {
  const form = departmentFormSchema.parse(input);
  const fields = formToDepartmentInput(form);
  if (!form.departmentId) {
    const row = await createDepartment({ db, actor, input: fields });
    return { id: row.id, created: true, changed: [] };
  }
  const updated = await updateDepartment({
    db,
    actor,
    input: { departmentId: form.departmentId, ...fields },
  });
  return { id: updated.id, created: false, changed: updated.changed };
}
