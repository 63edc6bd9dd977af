'use server';

import { revalidatePath } from 'next/cache';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { runJobFromForm, saveJobSettingsFromForm } from '@/lib/jobs/job-forms';
import type { JobRunOutcome } from '@/lib/jobs/run-job';

const PAGE = '/settings/jobs';
/** How long "run now" waits for a job run here before answering "started". */
const WAIT_MS = 5_000;

export type RunJobState = ActionResult<{
  job: string;
  via: 'inngest' | 'in_process';
  outcome: JobRunOutcome | null;
}> | null;
export type JobSettingsState = ActionResult<{ saved: true }> | null;

/** "Run now" / "Dry run" on the Jobs page (lib/jobs/job-forms.ts checks, audits and starts it). */
export async function runJobAction(_prev: RunJobState, form: FormData): Promise<RunJobState> {
  const actor = await requireSessionActor();
  const result = await toActionResult(async () =>
    runJobFromForm({ db: await getDb(), actor, form, waitMs: WAIT_MS }),
  );
  revalidatePath(PAGE);
  return result;
}

/** The retention and archive settings form (lib/jobs/job-forms.ts checks the range and audits). */
export async function saveJobSettingsAction(
  _prev: JobSettingsState,
  form: FormData,
): Promise<JobSettingsState> {
  const actor = await requireSessionActor();
  const result = await toActionResult(async () => {
    await saveJobSettingsFromForm({ db: await getDb(), actor, form });
    return { saved: true as const };
  });
  if (result.ok) revalidatePath(PAGE);
  return result;
}
