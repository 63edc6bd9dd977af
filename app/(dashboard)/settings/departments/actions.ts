'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { deactivateDepartment } from '@/lib/departments/deactivate-department';
import { saveDepartmentForm } from '@/lib/departments/save-department-form';
import { toActionResult, type ActionResult } from '@/lib/errors';

const PAGE = '/settings/departments';

/**
 * Creates (no departmentId) or changes a department from the settings form. The form is
 * zod-checked by saveDepartmentForm; createDepartment / updateDepartment check the admin role,
 * the default-flag rules, and write the audit row.
 */
export async function saveDepartmentAction(
  input: unknown,
): Promise<ActionResult<{ id: string; created: boolean; changed: string[] }>> {
  const actor = await requireSessionActor();
  const result = await toActionResult(async () => saveDepartmentForm({ db: await getDb(), actor, input }));
  if (result.ok) revalidatePath(PAGE);
  return result;
}

const deactivateInput = z.object({ departmentId: z.uuid() }).strict();

/** Deactivates a department (admins; the default is refused; audited by deactivateDepartment). */
export async function deactivateDepartmentAction(
  input: unknown,
): Promise<ActionResult<{ changed: string[] }>> {
  const actor = await requireSessionActor();
  const result = await toActionResult(async () => {
    const { departmentId } = deactivateInput.parse(input);
    const done = await deactivateDepartment({ db: await getDb(), actor, input: { departmentId } });
    return { changed: done.changed };
  });
  if (result.ok) revalidatePath(PAGE);
  return result;
}
