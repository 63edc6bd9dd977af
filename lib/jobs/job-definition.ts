import type { Db } from '@/db/client';
import type { SystemActor } from '@/lib/auth/actor';

/** What a job's domain function gets: the database, the system actor, the clock, dry-run. */
export type JobContext = {
  db: Db;
  /** The actor the job acts as in audit rows and permission checks (`system`, named after the job). */
  actor: SystemActor;
  /** The run's clock: every "older than" and "yesterday" is computed from it (tests control it). */
  now: Date;
  /** Count what would change and change nothing. */
  dryRun: boolean;
};

/** A job's summary of one run: counts by what they count, shown on the Jobs page and by the CLI. */
export type JobResult = Record<string, number | string | boolean | null>;

/**
 * One background job: a plain domain function plus when it runs. The same definition drives the
 * Inngest function (inngest/functions/jobs.ts), the in-process scheduler (lib/jobs/scheduler.ts),
 * `npm run job` and the Jobs page.
 */
export type JobDefinition = {
  /** kebab-case, unique: the CLI argument, the Inngest function id suffix, job_runs.job. */
  name: string;
  /** One English sentence for the CLI (the Jobs page shows a translated one). */
  description: string;
  /** Five-field cron expression, evaluated in UTC (croner syntax; Inngest's `cron` trigger). */
  schedule: string;
  /**
   * The longest a run may take (ms). A `running` row older than this is taken for a run whose
   * process died, marked failed, and no longer blocks the next run.
   */
  timeoutMs: number;
  run(context: JobContext): Promise<JobResult>;
};
