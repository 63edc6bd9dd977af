'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { requestJobRun } from '@/lib/jobs/request-job-run';
import type { JobRunOutcome } from '@/lib/jobs/run-job';
import { updateJobSettings } from '@/lib/settings/job-settings';

const PAGE = '/settings/jobs';
/** How long "run now" waits for a job run here before answering "started". */
const WAIT_MS = 5_000;

export type RunJobState = ActionResult<{
  job: string;
  via: 'inngest' | 'in_process';
  outcome: JobRunOutcome | null;
}> | null;
export type JobSettingsState = ActionResult<{ saved: true }> | null;

// Actions are public endpoints: a hand-made request can pass anything as the form.
const notAForm = { ok: false, code: 'bad_request', message: 'Malformed request.' } as const;

const runForm = z.object({ job: z.string().max(100), dryRun: z.enum(['0', '1']) });

/** "Run now" / "Dry run" on the Jobs page (admins; requestJobRun checks and audits). */
export async function runJobAction(_prev: RunJobState, form: FormData): Promise<RunJobState> {
  const actor = await requireSessionActor();
  if (!(form instanceof FormData)) return notAForm;
  const result = await toActionResult(async () => {
    const { job, dryRun } = runForm.parse({ job: form.get('job'), dryRun: form.get('dryRun') });
    const started = await requestJobRun({
      db: await getDb(),
      actor,
      name: job,
      dryRun: dryRun === '1',
      waitMs: WAIT_MS,
    });
    return { job, via: started.via, outcome: started.via === 'in_process' ? started.outcome : null };
  });
  revalidatePath(PAGE);
  return result;
}

/** The retention and archive settings form (admins; updateJobSettings checks the range and audits). */
export async function saveJobSettingsAction(
  _prev: JobSettingsState,
  form: FormData,
): Promise<JobSettingsState> {
  const actor = await requireSessionActor();
  if (!(form instanceof FormData)) return notAForm;
  const result = await toActionResult(async () => {
    await updateJobSettings({
      db: await getDb(),
      actor,
      input: {
        operatorLogRetentionDays: String(form.get('operatorLogRetentionDays') ?? ''),
        processedUpdateRetentionDays: String(form.get('processedUpdateRetentionDays') ?? ''),
        jobRunRetentionDays: String(form.get('jobRunRetentionDays') ?? ''),
        archiveAfterDays: String(form.get('archiveAfterDays') ?? ''),
      },
    });
    return { saved: true as const };
  });
  if (result.ok) revalidatePath(PAGE);
  return result;
}
