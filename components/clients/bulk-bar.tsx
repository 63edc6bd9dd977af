'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { bulkClientsAction } from '@/app/(dashboard)/clients/actions';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorOption } from '@/lib/operators/list-operator-options';

/** Actions on the selected clients: assign (or back to the queue), transfer, resolve. */
export function BulkBar({
  clientIds,
  departments,
  operators,
  onDone,
}: {
  clientIds: string[];
  departments: DepartmentOption[];
  operators: OperatorOption[];
  onDone: (message: string) => void;
}) {
  const t = useTranslations('clients');
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (input: Parameters<typeof bulkClientsAction>[0]) =>
    startTransition(async () => {
      const result = await bulkClientsAction(input);
      if (!result.ok) return setError(result.message);
      const reasons = [...new Set(result.data.refused.map((r) => r.reason))].join('; ');
      onDone(t('bulkDone', { ok: result.data.ok, failed: result.data.refused.length, reasons }));
    });
  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded-box bg-base-100 px-2 py-1"
      data-testid="bulk-bar"
    >
      <span className="text-sm font-medium">{t('selected', { count: clientIds.length })}</span>
      <select
        className="select select-sm w-auto"
        aria-label={t('bulkAssign')}
        disabled={pending}
        value=""
        onChange={(e) => {
          const value = e.target.value;
          if (value) run({ action: 'assign', clientIds, operatorId: value === 'queue' ? null : value });
        }}
      >
        <option value="">{t('bulkAssign')}</option>
        <option value="queue">{t('toQueue')}</option>
        {operators.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <select
        className="select select-sm w-auto"
        aria-label={t('bulkTransfer')}
        disabled={pending}
        value=""
        onChange={(e) =>
          e.target.value && run({ action: 'transfer', clientIds, departmentId: e.target.value })
        }
      >
        <option value="">{t('bulkTransfer')}</option>
        {departments.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-sm"
        disabled={pending}
        onClick={() => run({ action: 'resolve', clientIds })}
      >
        {t('bulkResolve')}
      </button>
      {error && (
        <span role="alert" className="text-sm text-error">
          {error}
        </span>
      )}
    </div>
  );
}
