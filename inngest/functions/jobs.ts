import { NonRetriableError } from 'inngest';
import { getDb } from '@/db/client';
import { inngest } from '@/inngest/client';
import { JOB_RUN_REQUESTED, jobRunRequestedData } from '@/inngest/events';
import type { JobDefinition } from '@/lib/jobs/job-definition';
import { jobs } from '@/lib/jobs/registry';
import { runJob } from '@/lib/jobs/run-job';

/** The cron tick an Inngest scheduled run is for: its event's `ts`, to the minute. */
function tickOf(ts: number | undefined): Date {
  const tick = new Date(ts ?? Date.now());
  tick.setUTCSeconds(0, 0);
  return tick;
}

/**
 * A job as an Inngest function: its cron (UTC) and a "run now" event filtered to this job. One
 * run at a time (`concurrency` 1; runJob's lock in job_runs says the same to the in-process
 * scheduler and the CLI). No retries: a failed run is recorded and the next tick runs again.
 */
export function jobFunction(job: JobDefinition) {
  return inngest.createFunction(
    {
      id: `job-${job.name}`,
      name: `Job: ${job.name}`,
      triggers: [
        { cron: `TZ=UTC ${job.schedule}` },
        { event: JOB_RUN_REQUESTED, if: `event.data.job == '${job.name}'` },
      ],
      concurrency: { limit: 1 },
      retries: 0,
    },
    async ({ event, step }) => {
      const requested = event.name === JOB_RUN_REQUESTED;
      const data = requested ? jobRunRequestedData.safeParse(event.data) : undefined;
      if (data && !data.success) throw new NonRetriableError(`Invalid ${JOB_RUN_REQUESTED} payload`);
      return step.run('run', async () =>
        runJob({
          db: await getDb(),
          job,
          ...(data?.success
            ? { trigger: 'manual' as const, dryRun: data.data.dryRun, requestedBy: data.data.operatorId }
            : { trigger: 'schedule' as const, scheduledFor: tickOf(event.ts) }),
        }),
      );
    },
  );
}

export const jobFunctions = jobs.map(jobFunction);
