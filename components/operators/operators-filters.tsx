'use client';

import { useTranslations } from 'next-intl';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import { useUrlState } from '../list/use-url-state';

const ROLES = ['admin', 'supervisor', 'operator'] as const;
const STATUSES = ['online', 'away', 'offline'] as const;

export type OperatorFilterValues = {
  search?: string;
  role?: string;
  status?: string;
  department?: string;
  active?: string;
};

/** The operators list's filters; each change goes to the URL (and back to page 1). */
export function OperatorsFilters({
  values,
  departments,
}: {
  values: OperatorFilterValues;
  departments: DepartmentOption[];
}) {
  const t = useTranslations('operators');
  const tp = useTranslations('profile');
  const navigate = useUrlState();
  const set = (key: keyof OperatorFilterValues, value: string | undefined) =>
    navigate({ [key]: value, page: undefined });
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      role="search"
      aria-label={t('filters')}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        set('search', String(data.get('search') ?? '').trim() || undefined);
      }}
    >
      <label className="text-sm">
        <span className="mb-1 block">{t('search')}</span>
        <input
          name="search"
          type="search"
          defaultValue={values.search}
          className="input input-sm w-56"
          enterKeyHint="search"
        />
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('col.role')}</span>
        <select
          className="select select-sm w-36"
          value={values.role ?? ''}
          onChange={(e) => set('role', e.target.value || undefined)}
        >
          <option value="">{t('all')}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tp(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('col.status')}</span>
        <select
          className="select select-sm w-32"
          value={values.status ?? ''}
          onChange={(e) => set('status', e.target.value || undefined)}
        >
          <option value="">{t('all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {tp(`statuses.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('col.departments')}</span>
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
        <span className="mb-1 block">{t('account')}</span>
        <select
          className="select select-sm w-36"
          value={values.active ?? ''}
          onChange={(e) => set('active', e.target.value || undefined)}
        >
          <option value="">{t('all')}</option>
          <option value="true">{t('activeOnly')}</option>
          <option value="false">{t('deactivatedOnly')}</option>
        </select>
      </label>
    </form>
  );
}
