'use client';

import { createColumnHelper } from '@tanstack/react-table';
import { useFormatter, useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import type { OperatorLogDto } from '@/lib/audit/get-operator-log-or-throw';
import { ServerTable, useServerTable } from '../list/server-table';
import { useUrlState } from '../list/use-url-state';
import { LogDetails } from './log-details';

const column = createColumnHelper<OperatorLogDto>();

// At 390 px: actor (with the time and the details button under it) and the action, which keeps
// the rest of the row's width so that even the longest name fits unbroken; the rest is in the
// details.
const CELL_CLASS: Record<string, string> = {
  time: 'hidden sm:table-cell',
  details: 'hidden sm:table-cell',
  target: 'hidden md:table-cell',
  ip: 'hidden lg:table-cell',
  userAgent: 'hidden xl:table-cell',
};

/**
 * A page of the audit trail (TanStack Table; filters, ordering and page on the server, in the
 * URL): time in the viewer's time zone, actor, action, target (choosing it filters by it), IP,
 * user agent, and a details dialog with the row's JSON. "Export CSV" downloads every row of the
 * same query, streamed by the REST API.
 */
export function LogsTable({
  rows,
  count,
  capped,
  ordering,
  exportHref,
}: {
  rows: OperatorLogDto[];
  count: number;
  /** The count stopped at the list's cap: there are at least this many. */
  capped: boolean;
  ordering: string;
  exportHref: string;
}) {
  const t = useTranslations('logs');
  const navigate = useUrlState();
  const [open, setOpen] = useState<OperatorLogDto | null>(null);

  const columns = useMemo(
    () => [
      column.accessor('createdAt', {
        id: 'time',
        header: t('col.time'),
        cell: (info) => <LogTime iso={info.getValue()} />,
      }),
      column.accessor('actorLabel', {
        id: 'actor',
        header: t('col.actor'),
        cell: (info) => (
          <span className="flex flex-col">
            <bdi>{info.getValue()}</bdi>
            <span className="text-xs opacity-80">{t(`actorTypes.${info.row.original.actorType}`)}</span>
            <span className="text-xs opacity-80 sm:hidden">
              <LogTime iso={info.row.original.createdAt} wrap />
            </span>
            <span className="mt-1 sm:hidden">
              <DetailsButton row={info.row.original} onOpen={setOpen} />
            </span>
          </span>
        ),
      }),
      column.accessor('action', {
        id: 'action',
        header: t('col.action'),
        // An action is one name (client.assigned): it never breaks across lines, at the dot or
        // anywhere else (smaller on phones, where the longest, 30 characters, must fit).
        cell: (info) => <code className="text-xs whitespace-nowrap sm:text-sm">{info.getValue()}</code>,
      }),
      column.accessor('targetId', {
        id: 'target',
        header: t('col.target'),
        cell: (info) => {
          const { targetType, targetId } = info.row.original;
          if (!targetId) return targetType ?? '—';
          return (
            <button
              type="button"
              className="link block max-w-48 truncate text-left text-sm"
              title={`${t('filterTarget')}: ${targetType ?? ''} ${targetId}`}
              onClick={() => navigate({ targetType: targetType ?? undefined, targetId, page: undefined })}
            >
              {targetType && `${targetType} `}
              <code>{targetId}</code>
            </button>
          );
        },
      }),
      column.accessor('ip', {
        id: 'ip',
        header: t('col.ip'),
        cell: (info) => <code className="text-sm">{info.getValue() ?? '—'}</code>,
      }),
      column.accessor('userAgent', {
        id: 'userAgent',
        header: t('col.userAgent'),
        cell: (info) => (
          <span className="block max-w-64 truncate text-sm" title={info.getValue() ?? undefined}>
            {info.getValue() ?? '—'}
          </span>
        ),
      }),
      column.display({
        id: 'details',
        header: () => <span className="sr-only">{t('col.details')}</span>,
        cell: ({ row }) => <DetailsButton row={row.original} onOpen={setOpen} />,
      }),
    ],
    [t, navigate],
  );

  const table = useServerTable({
    data: rows,
    columns,
    getRowId: (row) => String(row.id),
  });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="badge badge-ghost" data-testid="logs-count">
          {capped ? t('countCapped', { count }) : t('count', { count })}
        </span>
        {/* A plain link: the browser downloads the stream itself (never held in this page). */}
        <a href={exportHref} className="btn btn-sm" download>
          {t('export')}
        </a>
      </div>
      {rows.length === 0 ? (
        <div className="alert">{t('empty')}</div>
      ) : (
        <ServerTable
          table={table}
          ordering={ordering}
          sortFields={{ time: 'createdAt' }}
          onOrder={(next) => navigate({ ordering: next, page: undefined })}
          cellClass={CELL_CLASS}
          caption={t('title')}
          testId="logs-table"
          rowTestId="log-row"
        />
      )}
      <LogDetails row={open} onClose={() => setOpen(null)} />
    </div>
  );
}

/** An entry's time in the viewer's time zone (next-intl's, the same on the server and here). */
function LogTime({ iso, wrap = false }: { iso: string; wrap?: boolean }) {
  const format = useFormatter();
  return (
    <time dateTime={iso} className={wrap ? undefined : 'whitespace-nowrap'}>
      {format.dateTime(new Date(iso), { dateStyle: 'short', timeStyle: 'medium' })}
    </time>
  );
}

/** Opens a row's JSON details; its accessible name says which entry. */
function DetailsButton({ row, onOpen }: { row: OperatorLogDto; onOpen: (row: OperatorLogDto) => void }) {
  const t = useTranslations('logs');
  return (
    <button type="button" className="btn btn-xs" onClick={() => onOpen(row)}>
      {t('details')}
      <span className="sr-only"> {t('detailsOf', { id: row.id })}</span>
    </button>
  );
}
