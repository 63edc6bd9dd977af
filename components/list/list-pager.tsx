'use client';

import { useTranslations } from 'next-intl';
import { useUrlState } from './use-url-state';

/**
 * Page links and page size for a server-paginated list, both in the URL (`page`, `size`); a new
 * size goes back to page 1.
 */
export function ListPager({
  page,
  pages,
  size,
  sizes = [25, 50, 100],
}: {
  page: number;
  pages: number;
  size: number;
  sizes?: number[];
}) {
  const t = useTranslations('list');
  const navigate = useUrlState();
  return (
    <nav className="flex flex-wrap items-center gap-3 self-center" aria-label={t('page', { page, pages })}>
      <div className="join">
        <button
          type="button"
          className="join-item btn btn-sm"
          disabled={page <= 1}
          aria-label={t('previous')}
          onClick={() => navigate({ page: String(page - 1) })}
        >
          «
        </button>
        <span className="join-item btn btn-sm pointer-events-none">{t('page', { page, pages })}</span>
        <button
          type="button"
          className="join-item btn btn-sm"
          disabled={page >= pages}
          aria-label={t('next')}
          onClick={() => navigate({ page: String(page + 1) })}
        >
          »
        </button>
      </div>
      <label className="flex items-center gap-2 text-sm">
        {t('pageSize')}
        <select
          className="select select-sm w-20"
          value={size}
          onChange={(e) => navigate({ size: e.target.value, page: undefined })}
        >
          {sizes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
