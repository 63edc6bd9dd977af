import { AppError } from '@/lib/errors';
import { archiveOldMessagesJob } from './archive-old-messages';
import { cleanupOldLogsJob } from './cleanup-old-logs';
import { dailyReportJob } from './daily-report';
import type { JobDefinition } from './job-definition';
import { operatorStatsJob } from './operator-stats';
import { reassignByLoadJob } from './reassign-by-load';
import { syncOperatorStatusJob } from './sync-operator-status';

/** Every background job of the desk, in the order the Jobs page and `npm run job -- --list` show. */
export const jobs: readonly JobDefinition[] = [
  syncOperatorStatusJob,
  reassignByLoadJob,
  dailyReportJob,
  operatorStatsJob,
  cleanupOldLogsJob,
  archiveOldMessagesJob,
];

/** The job named `name`. Errors: `not_found` naming the known jobs. */
export function getJobOrThrow(name: string): JobDefinition {
  const job = jobs.find((candidate) => candidate.name === name);
  if (!job) {
    throw new AppError('not_found', `No job "${name}". Jobs: ${jobs.map((j) => j.name).join(', ')}.`);
  }
  return job;
}
