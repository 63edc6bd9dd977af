'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { deactivateDepartmentAction } from '@/app/(dashboard)/settings/departments/actions';

/** Deactivate, after a confirmation; a refusal (e.g. the default department) is shown beside it. */
export function DeactivateDepartmentButton({ id, name }: { id: string; name: string }) {
  const t = useTranslations('departments');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-col gap-1">
      <button
        type="button"
        className="btn btn-sm"
        disabled={pending}
        aria-label={t('deactivateNamed', { name })}
        onClick={() => {
          if (!window.confirm(t('deactivateConfirm', { name }))) return;
          startTransition(async () => {
            const result = await deactivateDepartmentAction({ departmentId: id });
            setError(result.ok ? null : t('refused', { reason: result.message }));
          });
        }}
      >
        {t('deactivate')}
      </button>
      {error && (
        <p role="alert" className="text-error text-sm">
          {error}
        </p>
      )}
    </div>
  );
}
