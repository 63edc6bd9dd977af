import { Cron } from 'croner';
import type { Db } from '@/db/client';
import type { JobDefinition } from './job-definition';
import { jobs as registry } from './registry';
import { runJob } from './run-job';

/**
 * Runs each of `jobs` on its schedule in this process: one croner timer per job (UTC; `protect`
 * skips a tick while this process still runs the previous one). Each tick goes through runJob
 * with the tick as its slot, so when several app instances (or schedulers) fire the same tick
 * the job runs once. Timers are unref'd: they never keep the process alive. Errors are logged,
 * never thrown. Returns the timers; `stop()` each to end them.
 */
export function scheduleJobs({
  getDb,
  jobs,
}: {
  getDb: () => Promise<Db>;
  jobs: readonly JobDefinition[];
}): Cron[] {
  return jobs.map(
    (job) =>
      new Cron(job.schedule, { timezone: 'UTC', protect: true, unref: true }, async (self: Cron) => {
        const tick = self.currentRun() ?? new Date();
        tick.setUTCMilliseconds(0);
        try {
          const outcome = await runJob({ db: await getDb(), job, trigger: 'schedule', scheduledFor: tick });
          if (outcome.status === 'failed') console.error(`job ${job.name} failed: ${outcome.error}`);
        } catch (error) {
          console.error(`job ${job.name} could not run:`, error instanceof Error ? error.message : error);
        }
      }),
  );
}

let started: Cron[] | undefined;

/**
 * The desk's scheduler when no Inngest is configured (with Inngest, the jobs' cron triggers do
 * it: inngest/functions/jobs.ts): every job of the registry, once per process.
 */
export function startJobScheduler(getDb: () => Promise<Db>): void {
  started ??= scheduleJobs({ getDb, jobs: registry });
}
