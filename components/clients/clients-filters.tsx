'use client';

import { useTranslations } from 'next-intl';
import type { ClientStatus } from '@/db/schema';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import {
  DateRangeFilter,
  FilterCheckbox,
  FilterForm,
  FilterSelect,
  FilterText,
  namedOptions,
} from '../list/filters';

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
  return (
    <FilterForm textParams={['search']}>
      <FilterText param="search" label={t('search')} value={values.search} />
      <FilterSelect
        param="status"
        label={t('status')}
        value={values.status}
        allLabel={t('all')}
        className="w-36"
        options={STATUSES.map((s) => ({ value: s, label: ts(s) }))}
      />
      <FilterSelect
        param="department"
        label={t('department')}
        value={values.department}
        allLabel={t('all')}
        options={namedOptions(departments)}
      />
      <FilterSelect
        param="operator"
        label={t('operator')}
        value={values.operator}
        allLabel={t('all')}
        options={namedOptions(operators)}
      />
      <FilterCheckbox param="unassigned" label={t('unassigned')} value={values.unassigned} />
      <FilterCheckbox param="unread" label={t('unreadOnly')} value={values.unread} />
      <DateRangeFilter from={values.from} to={values.to} fromLabel={t('from')} toLabel={t('to')} />
    </FilterForm>
  );
}
