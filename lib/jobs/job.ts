import type { z } from 'zod';
import type { Db } from '@/db/client';
import type { SystemActor } from '@/lib/auth/actor';

/**
 * A background job of the desk: one domain function, run on a schedule by Inngest (cron) when it
 * is configured and by the in-process scheduler otherwise (lib/jobs/scheduler.ts), by hand with
 * `npm run job -- <name> [--dry-run]`, or from the admin Jobs page. It takes the system actor
 * and an explicit clock, so tests control time.
 */
export type JobContext = {
  db: Db;
  actor: SystemActor;
  /** The job's notion of "now" (tests pass a fixed clock). */
  now: Date;
  /** Report what would change without changing it. */
  dryRun: boolean;
  /** Progress lines for the run's record and the CLI. */
  log: (line: string) => void;
};

/** What a run did, stored with the run and shown on the Jobs page: counts and short notes. */
export type JobResult = Record<string, number | string | boolean | null>;

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  /** kebab-case, unique: the CLI name, the Inngest function id and the run record's key. */
  name: string;
  /** One sentence for the Jobs page and the CLI help. */
  description: string;
  /** Cron expression (UTC) of the default schedule, e.g. every 5 minutes `*\/5 * * * *`. */
  schedule: string;
  /** Settings the job reads (e.g. retention days), with defaults; stored in the settings table. */
  settings?: S;
  run: (context: JobContext, settings: z.output<S>) => Promise<JobResult>;
};
