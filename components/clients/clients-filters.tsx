'use client';

import { useTranslations } from 'next-intl';
import type { ClientStatus } from '@/db/schema';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import { useUrlState } from '../list/use-url-state';

const STATUSES: ClientStatus[] = ['new', 'in_progress', 'waiting', 'resolved', 'blocked'];

export type ClientFilterValues = {
  search?: string;
  status?: string;
  department?: string;
  operator?: string;
  unassigned?: string;
  unread?: string;
  from?: string;
  to?: string;
};

/** The clients list's filters; each change goes to the URL (and back to page 1). */
export function ClientsFilters({
  values,
  departments,
  operators,
}: {
  values: ClientFilterValues;
  departments: DepartmentOption[];
  operators: OperatorOption[];
}) {
  const t = useTranslations('clients');
  const ts = useTranslations('clientStatus');
  const navigate = useUrlState();
  const set = (key: keyof ClientFilterValues, value: string | undefined) =>
    navigate({ [key]: value, page: undefined });
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        set('search', String(data.get('search') ?? '').trim() || undefined);
      }}
    >
      <label className="text-sm">
        <span className="mb-1 block">{t('search')}</span>
        <input name="search" defaultValue={values.search} className="input input-sm w-56" />
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('status')}</span>
        <select
          className="select select-sm w-36"
          value={values.status ?? ''}
          onChange={(e) => set('status', e.target.value || undefined)}
        >
          <option value="">{t('all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {ts(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('department')}</span>
        <select
          className="select select-sm w-40"
          value={values.department ?? ''}
          onChange={(e) => set('department', e.target.value || undefined)}
        >
          <option value="">{t('all')}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('operator')}</span>
        <select
          className="select select-sm w-40"
          value={values.operator ?? ''}
          onChange={(e) => set('operator', e.target.value || undefined)}
        >
          <option value="">{t('all')}</option>
          {operators.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label className="label cursor-pointer gap-2 text-sm">
        <input
          type="checkbox"
          className="checkbox checkbox-sm"
          checked={values.unassigned === 'true'}
          onChange={(e) => set('unassigned', e.target.checked ? 'true' : undefined)}
        />
        {t('unassigned')}
      </label>
      <label className="label cursor-pointer gap-2 text-sm">
        <input
          type="checkbox"
          className="checkbox checkbox-sm"
          checked={values.unread === 'true'}
          onChange={(e) => set('unread', e.target.checked ? 'true' : undefined)}
        />
        {t('unreadOnly')}
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('from')}</span>
        <input
          type="date"
          className="input input-sm"
          value={values.from ?? ''}
          onChange={(e) => set('from', e.target.value || undefined)}
        />
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('to')}</span>
        <input
          type="date"
          className="input input-sm"
          value={values.to ?? ''}
          onChange={(e) => set('to', e.target.value || undefined)}
        />
      </label>
    </form>
  );
}
