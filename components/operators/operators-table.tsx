'use client';

import { createColumnHelper } from '@tanstack/react-table';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useMemo, useRef, useState } from 'react';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorDto } from '@/lib/operators/get-operator-or-throw';
import type { OperatorStatsTotals } from '@/lib/reports/get-operator-stats';
import { ServerTable, useServerTable } from '../list/server-table';
import { useUrlState } from '../list/use-url-state';
import { useLiveEvents } from '../live/live-provider';
import { RelativeTime } from '../relative-time';
import { LoadBar } from './load-bar';
import { OperatorActions, type OperatorDialog } from './operator-actions';
import { OperatorDialogs } from './operator-dialogs';
import { PresenceBadge } from './presence-badge';

const column = createColumnHelper<OperatorDto>();

/** Table columns that sort on the server, by the operators list's ordering field. */
const SORTABLE: Record<string, string> = {
  name: 'name',
  status: 'status',
  load: 'activeClients',
  lastSeen: 'lastSeenAt',
};

// At 390 px: name (with presence under it), load and the admin's buttons.
const CELL_CLASS: Record<string, string> = {
  status: 'hidden sm:table-cell',
  role: 'hidden md:table-cell',
  departments: 'hidden lg:table-cell',
  lastSeen: 'hidden md:table-cell',
  telegram: 'hidden md:table-cell',
  last7Days: 'hidden lg:table-cell',
};

/**
 * The operators list (TanStack Table; sorting, filters and page on the server, in the URL). Admins
 * get create, edit, invite and (de)activate; everyone else reads. Presence and load changes
 * (live events) refresh the page's data, debounced.
 */
export function OperatorsTable({
  rows,
  count,
  ordering,
  departments,
  canManage,
  selfId,
  stats,
}: {
  /** Last-7-days totals by operator id, for those whose figures the viewer may read. */
  stats: Record<string, OperatorStatsTotals>;
  rows: OperatorDto[];
  count: number;
  ordering: string;
  departments: DepartmentOption[];
  canManage: boolean;
  selfId: string;
}) {
  const t = useTranslations('operators');
  const tr = useTranslations('profile.role');
  const navigate = useUrlState();
  const router = useRouter();
  const [dialog, setDialog] = useState<OperatorDialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvents((event) => {
    if (event.type === 'message.created' || event.type === 'message.updated') return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => router.refresh(), 1000);
  });
  const departmentName = useMemo(() => new Map(departments.map((d) => [d.id, d.name])), [departments]);

  const columns = useMemo(
    () => [
      column.accessor('name', {
        id: 'name',
        header: t('col.name'),
        cell: (info) => {
          const o = info.row.original;
          return (
            <div className="flex min-w-0 flex-col gap-1">
              <span className="font-medium">
                <bdi>{o.name}</bdi>
                {o.id === selfId && <span className="ml-1 opacity-80">({t('you')})</span>}
              </span>
              <span className="hidden max-w-56 truncate text-sm opacity-80 sm:block" title={o.email}>
                {o.email}
              </span>
              <span className="sm:hidden">
                <PresenceBadge status={o.status} isActive={o.isActive} />
              </span>
            </div>
          );
        },
      }),
      column.accessor('status', {
        id: 'status',
        header: t('col.status'),
        cell: (info) => <PresenceBadge status={info.getValue()} isActive={info.row.original.isActive} />,
      }),
      column.accessor('activeClients', {
        id: 'load',
        header: t('col.load'),
        cell: (info) => <LoadBar active={info.getValue()} capacity={info.row.original.capacity} />,
      }),
      column.accessor('role', {
        id: 'role',
        header: t('col.role'),
        cell: (info) => tr(info.getValue()),
      }),
      column.accessor('departmentIds', {
        id: 'departments',
        header: t('col.departments'),
        cell: (info) =>
          info.getValue().length === 0
            ? '—'
            : info
                .getValue()
                .map((id) => departmentName.get(id) ?? t('inactiveDepartment'))
                .join(', '),
      }),
      column.accessor('lastSeenAt', {
        id: 'lastSeen',
        header: t('col.lastSeen'),
        cell: (info) => <RelativeTime iso={info.getValue()} />,
      }),
      column.accessor('telegramLinked', {
        id: 'telegram',
        header: t('col.telegram'),
        cell: (info) =>
          info.getValue() ? (
            <span className="badge badge-outline whitespace-nowrap">{t('linked')}</span>
          ) : (
            <span className="text-sm opacity-80">{t('notLinked')}</span>
          ),
      }),
      column.display({
        id: 'last7Days',
        header: () => <span title={t('last7DaysHint')}>{t('col.last7Days')}</span>,
        cell: ({ row }) => {
          const s = stats[row.original.id];
          if (!s) return <span className="opacity-80">—</span>;
          return (
            <span className="text-sm">
              {t('last7Days', { handled: s.handledConversations, messages: s.messagesSent })}
              {s.ratingAverage !== null && (
                <span className="block opacity-80">{t('rating7Days', { rating: s.ratingAverage })}</span>
              )}
            </span>
          );
        },
      }),
      column.display({
        id: 'actions',
        header: () => <span className="sr-only">{t('col.actions')}</span>,
        cell: ({ row }) => (
          <div className="flex flex-col items-start gap-1 md:flex-row md:flex-wrap">
            {canManage && <OperatorActions operator={row.original} selfId={selfId} onOpen={setDialog} />}
            <Link
              className="btn btn-xs btn-ghost"
              href={`/logs?targetType=operator&targetId=${row.original.id}`}
            >
              {t('log')}
              <span className="sr-only"> {row.original.name}</span>
            </Link>
          </div>
        ),
      }),
    ],
    [t, tr, departmentName, canManage, selfId, stats],
  );

  const table = useServerTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
  });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="badge badge-ghost" data-testid="operators-count">
          {t('count', { count })}
        </span>
        {canManage && (
          <button
            type="button"
            className="btn btn-sm btn-primary"
            onClick={() => setDialog({ kind: 'create' })}
          >
            {t('create')}
          </button>
        )}
        <span role="status" className="text-sm" data-testid="operators-notice">
          {notice}
        </span>
      </div>
      {rows.length === 0 ? (
        <div className="alert">{t('empty')}</div>
      ) : (
        <ServerTable
          table={table}
          ordering={ordering}
          sortFields={SORTABLE}
          onOrder={(next) => navigate({ ordering: next, page: undefined })}
          cellClass={CELL_CLASS}
          caption={t('title')}
          testId="operators-table"
          rowTestId="operator-row"
        />
      )}
      {canManage && (
        <OperatorDialogs
          dialog={dialog}
          onClose={() => setDialog(null)}
          onDone={setNotice}
          departments={departments}
        />
      )}
    </div>
  );
}
