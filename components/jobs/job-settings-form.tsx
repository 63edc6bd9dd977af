'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { saveJobSettingsAction, type JobSettingsState } from '@/app/(dashboard)/settings/jobs/actions';
import type { JobSettings } from '@/lib/settings/job-settings';

const FIELDS = [
  'operatorLogRetentionDays',
  'processedUpdateRetentionDays',
  'jobRunRetentionDays',
  'archiveAfterDays',
] as const;

/** The jobs' retention and archive settings (whole days, 1–3650); a refusal says why. */
export function JobSettingsForm({ settings }: { settings: JobSettings }) {
  const t = useTranslations('jobs');
  const [state, action, pending] = useActionState<JobSettingsState, FormData>(saveJobSettingsAction, null);
  return (
    <form action={action} className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {FIELDS.map((field) => (
          <label key={field} className="flex flex-col gap-1">
            <span className="text-sm font-medium">{t(`settings.${field}`)}</span>
            <input
              type="number"
              name={field}
              min={1}
              max={3650}
              required
              defaultValue={settings[field]}
              className="input input-sm w-full"
            />
          </label>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn btn-sm btn-primary" disabled={pending}>
          {pending && <span className="loading loading-spinner loading-xs" aria-hidden />}
          {t('settings.save')}
        </button>
        <p role="status" className={`text-sm ${state && !state.ok ? 'text-error' : ''}`}>
          {state ? (state.ok ? t('settings.saved') : t('settings.refused', { reason: state.message })) : null}
        </p>
      </div>
    </form>
  );
}
