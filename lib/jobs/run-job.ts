import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { jobRuns } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import type { JobDefinition, JobResult } from './job-definition';

export type JobTrigger = (typeof jobRuns.$inferSelect)['trigger'];

export type JobRunOutcome =
  | { status: 'succeeded'; runId: number; durationMs: number; result: JobResult }
  | { status: 'failed'; runId: number; durationMs: number; error: string }
  /** Another run of the job is going on, or this schedule slot ran already (another instance). */
  | { status: 'skipped'; reason: 'running' | 'slot_taken' };

const MAX_ERROR_LENGTH = 2_000;

/**
 * Runs one job once and records it in `job_runs`, which is also the lock: the `running` row is
 * inserted first and a second one for the same job is refused by a unique index (so "run now"
 * during a scheduled run, or two app instances, never run a job twice at once), and a scheduled
 * run claims its slot (`scheduledFor`, the cron tick) so each tick runs once across instances.
 * A `running` row older than the job's `timeoutMs` is marked failed as abandoned first.
 *
 * The job acts as the system actor named after it. `requestedBy`: the operator who asked for a
 * manual run (requestJobRun checks and audits that request). `now` is the run's clock, given to
 * the job. The job's own error is recorded and returned as `failed`, never thrown; database
 * errors recording the run are thrown.
 */
export async function runJob({
  db,
  job,
  trigger,
  requestedBy,
  dryRun = false,
  scheduledFor,
  now = new Date(),
}: {
  db: Db;
  job: JobDefinition;
  trigger: JobTrigger;
  requestedBy?: string | null;
  dryRun?: boolean;
  scheduledFor?: Date;
  now?: Date;
}): Promise<JobRunOutcome> {
  const abandonedBefore = new Date(now.getTime() - job.timeoutMs);
  await db
    .update(jobRuns)
    .set({
      status: 'failed',
      finishedAt: now,
      error: 'Abandoned: the process running it stopped or it ran too long.',
    })
    .where(
      and(eq(jobRuns.job, job.name), eq(jobRuns.status, 'running'), lt(jobRuns.startedAt, abandonedBefore)),
    );

  const [row] = await db
    .insert(jobRuns)
    .values({
      job: job.name,
      trigger,
      scheduledFor: scheduledFor ?? null,
      dryRun,
      operatorId: requestedBy ?? null,
      startedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: jobRuns.id });
  const runId = row?.id;
  if (runId === undefined) {
    const [running] = await db
      .select({ id: jobRuns.id })
      .from(jobRuns)
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.status, 'running')));
    return { status: 'skipped', reason: running ? 'running' : 'slot_taken' };
  }

  const started = performance.now();
  const finish = async (values: Partial<typeof jobRuns.$inferInsert>) => {
    const durationMs = Math.round(performance.now() - started);
    await db
      .update(jobRuns)
      .set({ ...values, durationMs, finishedAt: new Date(now.getTime() + durationMs) })
      .where(eq(jobRuns.id, runId));
    return durationMs;
  };
  try {
    const result = await job.run({ db, actor: systemActor(job.name), now, dryRun });
    const durationMs = await finish({ status: 'succeeded', result });
    return { status: 'succeeded', runId, durationMs, result };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    const durationMs = await finish({ status: 'failed', error: message });
    return { status: 'failed', runId, durationMs, error: message };
  }
}
