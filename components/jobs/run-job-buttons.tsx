'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { runJobAction, type RunJobState } from '@/app/(dashboard)/settings/jobs/actions';

/**
 * "Run now" and "Dry run" for one job. The answer says how it went: done (with the counts on the
 * page after it refreshes), skipped (a run is going on), started (a longer run, or Inngest's),
 * or refused.
 */
export function RunJobButtons({ job, label }: { job: string; label: string }) {
  const t = useTranslations('jobs');
  const [state, action, pending] = useActionState<RunJobState, FormData>(runJobAction, null);
  let message: string | null = null;
  if (state && !state.ok) message = t('runRefused', { reason: state.message });
  else if (state?.ok) {
    const outcome = state.data.outcome;
    if (state.data.via === 'inngest' || !outcome) message = t('runStarted');
    else if (outcome.status === 'succeeded') message = t('runSucceeded', { ms: outcome.durationMs });
    else if (outcome.status === 'failed') message = t('runFailed', { error: outcome.error });
    else message = t('runSkipped');
  }
  return (
    <form action={action} className="flex flex-col gap-2">
      <input type="hidden" name="job" value={job} />
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          name="dryRun"
          value="0"
          className="btn btn-sm btn-primary"
          disabled={pending}
          aria-label={t('runNowLabel', { job: label })}
        >
          {pending && <span className="loading loading-spinner loading-xs" aria-hidden />}
          {t('runNow')}
        </button>
        <button
          type="submit"
          name="dryRun"
          value="1"
          className="btn btn-sm"
          disabled={pending}
          aria-label={t('dryRunLabel', { job: label })}
        >
          {t('dryRun')}
        </button>
      </div>
      <p role="status" className={`text-sm ${state && !state.ok ? 'text-error' : ''}`}>
        {message}
      </p>
    </form>
  );
}
