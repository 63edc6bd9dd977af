import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { settings } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';

const days = z.coerce.number().int().min(1).max(3650);

/**
 * Desk-wide settings of the background jobs, kept in the `settings` table under `jobs`.
 * Retention periods are whole days (1–3650).
 */
const jobSettingsFields = {
  /** cleanup-old-logs: operator-log (audit) rows older than this are deleted. */
  operatorLogRetentionDays: days,
  /** cleanup-old-logs: processed webhook-update rows older than this are deleted. */
  processedUpdateRetentionDays: days,
  /** cleanup-old-logs: job_runs rows older than this are deleted. */
  jobRunRetentionDays: days,
  /** archive-old-messages: messages of conversations resolved longer ago than this leave the hot table. */
  archiveAfterDays: days,
};
export const jobSettingsSchema = z.object(jobSettingsFields).strict();
/** What an admin may change: any of the fields. */
export const jobSettingsInput = z.object(jobSettingsFields).partial().strict();

export type JobSettings = z.output<typeof jobSettingsSchema>;

/** A year of audit trail, a month of webhook bookkeeping and of job runs, half a year of hot chat history. */
export const DEFAULT_JOB_SETTINGS: JobSettings = {
  operatorLogRetentionDays: 365,
  processedUpdateRetentionDays: 30,
  jobRunRetentionDays: 30,
  archiveAfterDays: 180,
};

const KEY = 'jobs';

/** The jobs' settings: the stored ones over the defaults (a bad stored value falls back to them). */
export async function getJobSettings(db: DbOrTx): Promise<JobSettings> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY));
  const stored = row?.value && typeof row.value === 'object' ? row.value : {};
  const parsed = jobSettingsSchema.safeParse({ ...DEFAULT_JOB_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_JOB_SETTINGS;
}

/**
 * Admins change the jobs' settings; the fields given replace the stored ones. One audit row
 * `settings.update` with `{ key: 'jobs', changes: { field: { from, to } } }`.
 * Errors: `forbidden` (not an admin), ZodError for values out of range.
 */
export async function updateJobSettings({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof jobSettingsInput>;
}): Promise<JobSettings> {
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const changes = jobSettingsInput.parse(input);
  return db.transaction(async (tx) => {
    const before = await getJobSettings(tx);
    const after = jobSettingsSchema.parse({ ...before, ...changes });
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof JobSettings)[])
        .filter((field) => after[field] !== before[field])
        .map((field) => [field, { from: before[field], to: after[field] }]),
    );
    if (Object.keys(changed).length === 0) return after;
    const updatedById = actor.kind === 'operator' ? actor.operatorId : null;
    await tx
      .insert(settings)
      .values({ key: KEY, value: after, updatedById })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: after, updatedById, updatedAt: new Date() },
      });
    await recordAudit(tx, actor, {
      action: 'settings.update',
      targetType: 'settings',
      targetId: KEY,
      details: { changes: changed },
    });
    return after;
  });
}
