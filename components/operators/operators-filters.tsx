'use client';

import { useTranslations } from 'next-intl';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import { FilterForm, FilterSelect, FilterText, namedOptions } from '../list/filters';

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
  return (
    <FilterForm label={t('filters')} textParams={['search']}>
      <FilterText
        param="search"
        label={t('search')}
        value={values.search}
        type="search"
        enterKeyHint="search"
      />
      <FilterSelect
        param="role"
        label={t('col.role')}
        value={values.role}
        allLabel={t('all')}
        className="w-36"
        options={ROLES.map((r) => ({ value: r, label: tp(`role.${r}`) }))}
      />
      <FilterSelect
        param="status"
        label={t('col.status')}
        value={values.status}
        allLabel={t('all')}
        className="w-32"
        options={STATUSES.map((s) => ({ value: s, label: tp(`statuses.${s}`) }))}
      />
      <FilterSelect
        param="department"
        label={t('col.departments')}
        value={values.department}
        allLabel={t('all')}
        options={namedOptions(departments)}
      />
      <FilterSelect
        param="active"
        label={t('account')}
        value={values.active}
        allLabel={t('all')}
        className="w-36"
        options={[
          { value: 'true', label: t('activeOnly') },
          { value: 'false', label: t('deactivatedOnly') },
        ]}
      />
    </FilterForm>
  );
}
