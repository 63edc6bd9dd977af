'use server';

import { revalidatePath } from 'next/cache';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { deleteCannedResponse } from '@/lib/canned-responses/delete-canned-response';
import { saveCannedResponse } from '@/lib/canned-responses/save-canned-response';
import { toActionResult, type ActionResult } from '@/lib/errors';

/** Creates (no id) or changes a canned response; lib checks who may, and audits it. */
export async function saveCannedResponseAction(input: {
  id?: string;
  departmentId: string;
  title: string;
  body: string;
}): Promise<ActionResult<{ id: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const saved = await saveCannedResponse({ db: await getDb(), actor, input });
    revalidatePath('/settings/canned-responses');
    return saved;
  });
}

export async function deleteCannedResponseAction(id: string): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    await deleteCannedResponse({ db: await getDb(), actor, input: { id } });
    revalidatePath('/settings/canned-responses');
    return null;
  });
}
