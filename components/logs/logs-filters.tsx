'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import { useUrlState } from '../list/use-url-state';

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
  const navigate = useUrlState();
  const set = (changes: Partial<Record<keyof LogFilterValues, string | undefined>>) =>
    navigate({ ...changes, page: undefined });
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      role="search"
      aria-label={t('filters')}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const text = (key: string) => String(data.get(key) ?? '').trim() || undefined;
        set({
          search: text('search'),
          action: text('action')?.replace(/\s+/g, '').toLowerCase(),
          targetType: text('targetType'),
          targetId: text('targetId'),
        });
      }}
    >
      <label className="text-sm">
        <span className="mb-1 block">{t('search')}</span>
        <input
          name="search"
          type="search"
          defaultValue={values.search}
          className="input input-sm w-56"
          aria-describedby="logs-search-hint"
        />
      </label>
      {showActor && (
        <>
          <label className="text-sm">
            <span className="mb-1 block">{t('actor')}</span>
            <select
              className="select select-sm w-44"
              value={values.actor ?? ''}
              onChange={(e) => set({ actor: e.target.value || undefined })}
            >
              <option value="">{t('all')}</option>
              {operators.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block">{t('actorType')}</span>
            <select
              className="select select-sm w-36"
              value={values.actorType ?? ''}
              onChange={(e) => set({ actorType: e.target.value || undefined })}
            >
              <option value="">{t('all')}</option>
              {ACTOR_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`actorTypes.${type}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <label className="text-sm">
        <span className="mb-1 block">{t('action')}</span>
        <input
          name="action"
          defaultValue={values.action}
          placeholder="operator.updated"
          className="input input-sm w-48 font-mono"
          aria-describedby="logs-action-hint"
        />
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('targetType')}</span>
        <input
          name="targetType"
          defaultValue={values.targetType}
          placeholder="client"
          className="input input-sm w-32 font-mono"
        />
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('targetId')}</span>
        <input
          name="targetId"
          defaultValue={values.targetId}
          className="input input-sm w-72 max-w-full font-mono"
        />
      </label>
      <button type="submit" className="btn btn-sm">
        {t('apply')}
      </button>
      <label className="text-sm">
        <span className="mb-1 block">{t('from')}</span>
        <input
          type="date"
          className="input input-sm"
          value={values.from ?? ''}
          onChange={(e) => set({ from: e.target.value || undefined })}
        />
      </label>
      <label className="text-sm">
        <span className="mb-1 block">{t('to')}</span>
        <input
          type="date"
          className="input input-sm"
          value={values.to ?? ''}
          onChange={(e) => set({ to: e.target.value || undefined })}
        />
      </label>
      <Link href="/logs" className="btn btn-sm btn-ghost">
        {t('clear')}
      </Link>
      <p className="w-full text-sm opacity-80">
        <span id="logs-search-hint">{t('searchHint', { hours: searchHours })}</span>{' '}
        <span id="logs-action-hint">{t('actionHint')}</span>
      </p>
    </form>
  );
}
