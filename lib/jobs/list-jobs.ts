import { desc, eq, sql } from 'drizzle-orm';
import { Cron } from 'croner';
import type { Db } from '@/db/client';
import { jobRuns } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { jobs } from './registry';

export type JobRunRow = typeof jobRuns.$inferSelect;

export type JobOverview = {
  name: string;
  schedule: string;
  /** The schedule's next tick after `now` (UTC cron), or null if it has none. */
  nextRunAt: Date | null;
  lastRun: JobRunRow | null;
};

/**
 * The Jobs page: every job with its schedule, next tick and last run, and the `recentLimit`
 * latest runs of all jobs (or of `job`), newest first. Admins only (`forbidden` otherwise).
 */
export async function listJobs({
  db,
  actor,
  job,
  recentLimit = 50,
  now = new Date(),
}: {
  db: Db;
  actor: Actor;
  job?: string;
  recentLimit?: number;
  now?: Date;
}): Promise<{ jobs: JobOverview[]; recentRuns: JobRunRow[] }> {
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const lastRuns = await db
    .selectDistinctOn([jobRuns.job])
    .from(jobRuns)
    .orderBy(jobRuns.job, desc(jobRuns.startedAt), desc(jobRuns.id));
  const recentRuns = await db
    .select()
    .from(jobRuns)
    .where(job ? eq(jobRuns.job, job) : sql`true`)
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(recentLimit);
  return {
    jobs: jobs.map((definition) => ({
      name: definition.name,
      schedule: definition.schedule,
      nextRunAt: new Cron(definition.schedule, { timezone: 'UTC', paused: true }).nextRun(now),
      lastRun: lastRuns.find((run) => run.job === definition.name) ?? null,
    })),
    recentRuns,
  };
}
