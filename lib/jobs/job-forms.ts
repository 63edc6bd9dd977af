import { z } from 'zod';
import type { Db } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';
import { requireFormData } from '@/lib/api-tokens/api-token-form';
import { jobSettingsSchema, updateJobSettings, type JobSettings } from '@/lib/settings/job-settings';
import { requestJobRun } from './request-job-run';
import type { JobRunOutcome } from './run-job';

const runJobFormSchema = z.object({ job: z.string().max(100), dryRun: z.enum(['0', '1']) });

/**
 * Settings → Jobs' "Run now" / "Dry run" form (FormData: `job`, `dryRun` 0|1) through
 * requestJobRun, which checks the admin and audits; a run here is awaited up to `waitMs`.
 * Errors: `bad_request` (not a form), ZodError (bad fields), requestJobRun's.
 */
export async function runJobFromForm({
  db,
  actor,
  form,
  waitMs,
}: {
  db: Db;
  actor: Actor;
  form: unknown;
  waitMs: number;
}): Promise<{ job: string; via: 'inngest' | 'in_process'; outcome: JobRunOutcome | null }> {
  const data = requireFormData(form);
  const { job, dryRun } = runJobFormSchema.parse({ job: data.get('job'), dryRun: data.get('dryRun') });
  const started = await requestJobRun({ db, actor, name: job, dryRun: dryRun === '1', waitMs });
  return { job, via: started.via, outcome: started.via === 'in_process' ? started.outcome : null };
}

/**
 * Settings → Jobs' settings form: every field of the jobs' settings, as typed (missing ones as
 * empty, which the range check refuses), through updateJobSettings (admins, audited).
 * Errors: `bad_request` (not a form), ZodError, `forbidden`.
 */
export async function saveJobSettingsFromForm({
  db,
  actor,
  form,
}: {
  db: Db;
  actor: Actor;
  form: unknown;
}): Promise<JobSettings> {
  const data = requireFormData(form);
  const input = Object.fromEntries(
    Object.keys(jobSettingsSchema.shape).map((field) => [field, String(data.get(field) ?? '')]),
  );
  return updateJobSettings({ db, actor, input });
}
