import { applyIdleStatus } from '@/lib/operators/apply-idle-status';
import type { JobContext, JobDefinition, JobResult } from './job-definition';

/**
 * Idle operators go away, then offline (lib/operators/apply-idle-status.ts; minutes per
 * department). Their clients who await an answer are passed on by reassign-by-load once they
 * are offline; their next activity brings them back online and drains the queue
 * (lib/operators/record-operator-activity.ts). Result: how many went away, how many offline.
 */
export async function syncOperatorStatus({ db, actor, now, dryRun }: JobContext): Promise<JobResult> {
  const changes = await applyIdleStatus({ db, actor, now, dryRun });
  return {
    away: changes.filter((c) => c.to === 'away').length,
    offline: changes.filter((c) => c.to === 'offline').length,
  };
}

export const syncOperatorStatusJob: JobDefinition = {
  name: 'sync-operator-status',
  description: 'Idle operators go away, then offline, after their departments’ idle minutes.',
  schedule: '* * * * *',
  timeoutMs: 5 * 60_000,
  run: syncOperatorStatus,
};
