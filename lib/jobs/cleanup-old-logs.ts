import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { getJobSettings } from '@/lib/settings/job-settings';
import type { JobDefinition, JobResult } from './job-definition';

const DAY_MS = 86_400_000;
/** Rows per DELETE: each batch is its own short statement, so no lock is held for long. */
export const CLEANUP_BATCH_SIZE = 5_000;

/**
 * Deletes, in batches of `batchSize` oldest-first, the rows `from` matching `where`; returns how
 * many (or, on a dry run, how many it would delete).
 */
async function deleteInBatches(db: Db, table: SQL, where: SQL, dryRun: boolean, batchSize: number) {
  if (dryRun) {
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${table} where ${where}`),
    );
    return row?.n ?? 0;
  }
  let deleted = 0;
  for (;;) {
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`
        with doomed as (select id from ${table} where ${where} order by id limit ${batchSize}),
             gone as (delete from ${table} where id in (select id from doomed) returning 1)
        select count(*)::int as n from gone`),
    );
    const n = row?.n ?? 0;
    deleted += n;
    if (n < batchSize) return deleted;
  }
}

/**
 * Deletes operator-log rows, processed webhook-update rows and job runs older than the retention
 * settings (lib/settings/job-settings.ts), in batches of CLEANUP_BATCH_SIZE. Webhook updates that
 * were not processed (failed, ignored with a payload) are kept: they are what someone may still
 * need to inspect. Result: `{ operatorLogs, processedUpdates, jobRuns }` rows deleted (or that
 * would be, on a dry run).
 */
export async function cleanupOldLogs(
  { db, now, dryRun }: { db: Db; now: Date; dryRun: boolean },
  batchSize = CLEANUP_BATCH_SIZE,
): Promise<JobResult> {
  const settings = await getJobSettings(db);
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const operatorLogs = await deleteInBatches(
    db,
    sql`operator_logs`,
    sql`created_at < ${before(settings.operatorLogRetentionDays)}`,
    dryRun,
    batchSize,
  );
  const processedUpdates = await deleteInBatches(
    db,
    sql`telegram_updates`,
    sql`status = 'processed' and received_at < ${before(settings.processedUpdateRetentionDays)}`,
    dryRun,
    batchSize,
  );
  const jobRuns = await deleteInBatches(
    db,
    sql`job_runs`,
    sql`status <> 'running' and started_at < ${before(settings.jobRunRetentionDays)}`,
    dryRun,
    batchSize,
  );
  return { operatorLogs, processedUpdates, jobRuns };
}

export const cleanupOldLogsJob: JobDefinition = {
  name: 'cleanup-old-logs',
  description: 'Deletes operator-log, processed-update and job-run rows older than their retention.',
  schedule: '17 3 * * *',
  timeoutMs: 60 * 60_000,
  run: (context) => cleanupOldLogs(context),
};
