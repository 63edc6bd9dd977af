import type { Db } from '@/db/client';
import { inngest } from '@/inngest/client';
import { JOB_RUN_REQUESTED } from '@/inngest/events';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { runInBackground } from '@/lib/background';
import { isInngestConfigured } from '@/lib/env';
import { getJobOrThrow } from './registry';
import { runJob, type JobRunOutcome } from './run-job';

/**
 * An admin's "run now" (the Jobs page): audited as `job.run` ({ dryRun }), then handed to the
 * job's Inngest function when Inngest is configured, or started in this process after the
 * answer otherwise — either way through runJob, so a run already going on makes it a skipped
 * run, never a second one. Run here, it is awaited up to `waitMs` (ms; default 0) so a quick
 * job's outcome can be shown at once; a longer one goes on in the background, its outcome in
 * job_runs. Errors: `forbidden` (not an admin), `not_found` (no such job).
 */
export async function requestJobRun({
  db,
  actor,
  name,
  dryRun,
  waitMs = 0,
}: {
  db: Db;
  actor: Actor;
  name: string;
  dryRun: boolean;
  waitMs?: number;
}): Promise<{ via: 'inngest' } | { via: 'in_process'; outcome: JobRunOutcome | null }> {
  const staff = requireRole(actor, ['admin']);
  const job = getJobOrThrow(name);
  await recordAudit(db, actor, {
    action: 'job.run',
    targetType: 'job',
    targetId: job.name,
    details: { dryRun },
  });
  const operatorId = staff.kind === 'operator' ? staff.operatorId : null;
  if (isInngestConfigured()) {
    try {
      await inngest.send({ name: JOB_RUN_REQUESTED, data: { job: job.name, dryRun, operatorId } });
      return { via: 'inngest' };
    } catch (error) {
      console.warn(
        'Inngest unreachable, running the job here:',
        error instanceof Error ? error.message : error,
      );
    }
  }
  const run = runJob({ db, job, trigger: 'manual', dryRun, requestedBy: operatorId });
  runInBackground(() => run, `job ${job.name}`);
  if (waitMs <= 0) return { via: 'in_process', outcome: null };
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    run.catch(() => null),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs))),
  ]);
  clearTimeout(timer);
  return { via: 'in_process', outcome };
}
