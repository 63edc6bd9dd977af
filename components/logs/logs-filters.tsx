'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import { DateRangeFilter, FilterForm, FilterSelect, FilterText, namedOptions } from '../list/filters';

const ACTOR_TYPES = ['operator', 'api_token', 'system', 'telegram'] as const;

export type LogFilterValues = {
  search?: string;
  actor?: string;
  actorType?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
};

/** Actions are typed as `client.assigned, operator.updated`: spaces dropped, lower case. */
const normalize = { action: (text: string) => text.replace(/\s+/g, '').toLowerCase() };

/**
 * The audit trail's filters. Choices (actor, actor type, dates) apply at once; the text fields
 * (search, action, target) apply together with the Apply button or Enter. Everything goes to
 * the URL, back to page 1.
 */
export function LogsFilters({
  values,
  operators,
  showActor,
  searchHours,
}: {
  values: LogFilterValues;
  operators: OperatorOption[];
  /** Admins and supervisors choose whose actions; an operator sees only their own. */
  showActor: boolean;
  searchHours: number;
}) {
  const t = useTranslations('logs');
  return (
    <FilterForm
      label={t('filters')}
      textParams={['search', 'action', 'targetType', 'targetId']}
      normalize={normalize}
    >
      <FilterText
        param="search"
        label={t('search')}
        value={values.search}
        type="search"
        aria-describedby="logs-search-hint"
      />
      {showActor && (
        <>
          <FilterSelect
            param="actor"
            label={t('actor')}
            value={values.actor}
            allLabel={t('all')}
            className="w-44"
            options={namedOptions(operators)}
          />
          <FilterSelect
            param="actorType"
            label={t('actorType')}
            value={values.actorType}
            allLabel={t('all')}
            className="w-36"
            options={ACTOR_TYPES.map((type) => ({ value: type, label: t(`actorTypes.${type}`) }))}
          />
        </>
      )}
      <FilterText
        param="action"
        label={t('action')}
        value={values.action}
        placeholder="operator.updated"
        className="w-48 font-mono"
        aria-describedby="logs-action-hint"
      />
      <FilterText
        param="targetType"
        label={t('targetType')}
        value={values.targetType}
        placeholder="client"
        className="w-32 font-mono"
      />
      <FilterText
        param="targetId"
        label={t('targetId')}
        value={values.targetId}
        className="w-72 max-w-full font-mono"
      />
      <button type="submit" className="btn btn-sm">
        {t('apply')}
      </button>
      <DateRangeFilter from={values.from} to={values.to} fromLabel={t('from')} toLabel={t('to')} />
      <Link href="/logs" className="btn btn-sm btn-ghost">
        {t('clear')}
      </Link>
      <p className="w-full text-sm opacity-80">
        <span id="logs-search-hint">{t('searchHint', { hours: searchHours })}</span>{' '}
        <span id="logs-action-hint">{t('actionHint')}</span>
      </p>
    </FilterForm>
  );
}
