import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { isInngestConfigured } from '@/lib/env';
import { listJobs, type JobRunRow } from '@/lib/jobs/list-jobs';
import { getJobSettings } from '@/lib/settings/job-settings';
import { JobSettingsForm } from '@/components/jobs/job-settings-form';
import { RunJobButtons } from '@/components/jobs/run-job-buttons';
import { RefreshButton } from '@/components/settings/refresh-button';
import en from '@/messages/en.json';

export const dynamic = 'force-dynamic';

/**
 * A run's result figures in the order their labels are listed (messages/*.json, `jobs.results`):
 * the job's own order (clients, messages, …) — the jsonb column keeps keys sorted by length.
 * Keys without a label come last.
 */
const RESULT_ORDER = Object.keys(en.jobs.results);
const resultRank = (key: string) => {
  const rank = RESULT_ORDER.indexOf(key);
  return rank === -1 ? RESULT_ORDER.length : rank;
};

const STATUS_BADGE: Record<JobRunRow['status'], string> = {
  running: 'badge-info',
  succeeded: 'badge-success',
  failed: 'badge-error',
};

/**
 * Settings → Jobs (admins; anyone else gets the 404 page, as listJobs refuses them): every
 * background job with what it does, its schedule (UTC) and next run, its last run (when, how it
 * was started, duration, result or error), "run now" and "dry run"; the retention settings; the
 * 50 latest runs.
 */
export default async function JobsPage() {
  const actor = await requireSessionActor();
  const db = await getDb();
  let listed: Awaited<ReturnType<typeof listJobs>>;
  try {
    listed = await listJobs({ db, actor });
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') notFound();
    throw error;
  }
  const [t, format, settings] = await Promise.all([
    getTranslations('jobs'),
    getFormatter(),
    getJobSettings(db),
  ]);
  const jobLabel = (name: string) => (t.has(`names.${name}`) ? t(`names.${name}`) : name);
  const when = (at: Date) => format.dateTime(at, { dateStyle: 'medium', timeStyle: 'short' });
  const resultText = (run: JobRunRow) =>
    run.error ??
    Object.entries(run.result ?? {})
      .sort(([a], [b]) => resultRank(a) - resultRank(b))
      .map(
        ([key, value]) =>
          `${t.has(`results.${key}`) ? t(`results.${key}`) : key}: ${typeof value === 'number' ? format.number(value) : String(value)}`,
      )
      .join(' · ');
  const runSummary = (run: JobRunRow) => (
    <span className="flex flex-wrap items-center gap-2">
      <span className={`badge badge-sm ${STATUS_BADGE[run.status]}`}>{t(`status.${run.status}`)}</span>
      <time dateTime={run.startedAt.toISOString()}>{when(run.startedAt)}</time>
      <span className="opacity-80">
        {t(`trigger.${run.trigger}`)}
        {run.dryRun ? ` · ${t('dryRunTag')}` : ''}
        {run.durationMs !== null ? ` · ${t('durationMs', { ms: run.durationMs })}` : ''}
      </span>
    </span>
  );
  return (
    <div className="flex max-w-6xl flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold">{t('title')}</h1>
          <p className="text-sm opacity-80">
            {isInngestConfigured() ? t('introInngest') : t('introInProcess')}
          </p>
        </div>
        <RefreshButton label={t('refresh')} />
      </div>
      <ul className="flex flex-col gap-3" aria-label={t('listLabel')}>
        {listed.jobs.map((job) => (
          <li key={job.name} className="card bg-base-100 shadow-sm" data-testid={`job-${job.name}`}>
            <div className="card-body gap-2 p-4">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="card-title text-lg">{jobLabel(job.name)}</h2>
                <code className="text-xs break-all opacity-80">{job.name}</code>
              </div>
              <p className="text-sm">{t(`descriptions.${job.name}`)}</p>
              <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
                <dt className="font-medium">{t('schedule')}</dt>
                <dd>
                  <code>{job.schedule}</code> (UTC)
                  {job.nextRunAt && (
                    <span className="opacity-80">
                      {' · '}
                      {t('nextRun', { at: when(job.nextRunAt) })}
                    </span>
                  )}
                </dd>
                <dt className="font-medium">{t('lastRun')}</dt>
                <dd data-testid="last-run">{job.lastRun ? runSummary(job.lastRun) : t('never')}</dd>
                {job.lastRun && (job.lastRun.result || job.lastRun.error) && (
                  <>
                    <dt className="font-medium">{job.lastRun.error ? t('error') : t('result')}</dt>
                    <dd
                      className={`break-words ${job.lastRun.error ? 'text-error' : ''}`}
                      data-testid="last-result"
                    >
                      {resultText(job.lastRun)}
                    </dd>
                  </>
                )}
              </dl>
              <RunJobButtons job={job.name} label={jobLabel(job.name)} />
            </div>
          </li>
        ))}
      </ul>
      <section aria-labelledby="job-settings" className="card bg-base-100 shadow-sm">
        <div className="card-body gap-3 p-4">
          <h2 id="job-settings" className="card-title text-lg">
            {t('settings.title')}
          </h2>
          <JobSettingsForm settings={settings} />
        </div>
      </section>
      <section aria-labelledby="recent-runs" className="flex flex-col gap-2">
        <h2 id="recent-runs" className="text-lg font-semibold">
          {t('recentTitle')}
        </h2>
        {listed.recentRuns.length === 0 ? (
          <p className="text-sm opacity-80">{t('noRuns')}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-base-300 rounded-box bg-base-100 text-sm shadow-sm">
            {listed.recentRuns.map((run) => (
              <li key={run.id} className="flex flex-col gap-1 p-3" data-testid="job-run">
                <span className="font-medium">{jobLabel(run.job)}</span>
                {runSummary(run)}
                {(run.result || run.error) && (
                  <span className={`break-words ${run.error ? 'text-error' : 'opacity-80'}`}>
                    {resultText(run)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
