'use client';

import { createColumnHelper, type RowSelectionState, type VisibilityState } from '@tanstack/react-table';
import Link from 'next/link';
import { useNow, useTranslations } from 'next-intl';
import { useMemo, useRef, useState } from 'react';
import { listClientsAction } from '@/app/(dashboard)/clients/actions';
import { clientLabel } from '@/lib/clients/client-label';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import type { ListClientsInput } from '@/lib/clients/list-clients';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import { ClientStatusBadge } from '../client-status-badge';
import { durationParts } from '../format-duration';
import { ServerTable, useServerTable } from '../list/server-table';
import { useUrlState } from '../list/use-url-state';
import { useLiveEvents } from '../live/live-provider';
import { RelativeTime } from '../relative-time';
import { BulkBar } from './bulk-bar';

const column = createColumnHelper<ClientDto>();

/** Table columns that sort on the server, by the list's ordering field. */
const SORTABLE: Record<string, string> = {
  client: 'displayName',
  status: 'status',
  unread: 'unreadCount',
  lastMessage: 'lastMessageAt',
  waiting: 'queuedAt',
  created: 'createdAt',
};

/**
 * The clients list (TanStack Table, everything on the server): sorting by header, filters and
 * page in the URL (the page passes `query` and `navigate`), columns to show or hide, rows to
 * select for bulk actions. Live events reload the rows shown (debounced).
 */
export function ClientsTable({
  initial,
  count: initialCount,
  query,
  queueView,
  hidden,
  departments,
  operators,
}: {
  initial: ClientDto[];
  count: number;
  query: ListClientsInput;
  queueView: boolean;
  hidden: string[];
  departments: DepartmentOption[];
  operators: OperatorOption[];
}) {
  const t = useTranslations('clients');
  const navigate = useUrlState();
  const td = useTranslations('duration');
  const now = useNow({ updateInterval: 30_000 });
  const [rows, setRows] = useState(initial);
  const [count, setCount] = useState(initialCount);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [visibility, setVisibility] = useState<VisibilityState>(() =>
    Object.fromEntries(hidden.map((id) => [id, false])),
  );
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = async () => {
    const result = await listClientsAction(query);
    if (result.ok) {
      setRows(result.data.results);
      setCount(result.data.count);
    }
  };
  useLiveEvents((event) => {
    if (event.type === 'operator.updated') return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void reload(), 800);
  });

  const columns = useMemo(
    () => [
      column.display({
        id: 'select',
        enableHiding: false,
        header: ({ table }) => (
          <input
            type="checkbox"
            className="checkbox checkbox-sm"
            aria-label={t('selectAll')}
            checked={table.getIsAllRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            className="checkbox checkbox-sm"
            aria-label={t('selectRow', { name: clientLabel(row.original) })}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      }),
      column.accessor('displayName', {
        id: 'client',
        enableHiding: false,
        header: t('col.client'),
        cell: (info) => (
          <Link href={`/clients/${info.row.original.id}`} className="link link-hover font-medium">
            <bdi>{clientLabel(info.row.original)}</bdi>
            {info.row.original.username && (
              <span className="ml-1 font-normal text-base-content/70">@{info.row.original.username}</span>
            )}
          </Link>
        ),
      }),
      column.accessor('status', {
        id: 'status',
        header: t('col.status'),
        cell: (info) => <ClientStatusBadge status={info.getValue()} />,
      }),
      column.accessor('departmentName', {
        id: 'department',
        header: t('col.department'),
        cell: (info) => info.getValue() ?? '—',
      }),
      column.accessor('assignedOperatorName', {
        id: 'operator',
        header: t('col.operator'),
        cell: (info) => info.getValue() ?? <span className="badge badge-ghost">{t('queue')}</span>,
      }),
      column.accessor('unreadCount', {
        id: 'unread',
        header: t('col.unread'),
        cell: (info) =>
          info.getValue() > 0 ? <span className="badge badge-primary">{info.getValue()}</span> : '',
      }),
      column.accessor('queuedAt', {
        id: 'waiting',
        header: t('col.waiting'),
        cell: (info) => {
          const since = info.getValue();
          if (!since) return '';
          const d = durationParts((now.getTime() - new Date(since).getTime()) / 1000);
          return <span data-testid="queue-wait">{td(d.key, d.values)}</span>;
        },
      }),
      column.accessor('lastMessageAt', {
        id: 'lastMessage',
        header: t('col.lastMessage'),
        cell: (info) => <RelativeTime iso={info.getValue()} />,
      }),
      column.accessor('createdAt', {
        id: 'created',
        header: t('col.created'),
        cell: (info) => <RelativeTime iso={info.getValue()} />,
      }),
    ],
    [t, td, now],
  );

  const table = useServerTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    state: { rowSelection: selection, columnVisibility: visibility },
    onRowSelectionChange: setSelection,
    onColumnVisibilityChange: (updater) => {
      const next = typeof updater === 'function' ? updater(visibility) : updater;
      setVisibility(next);
      const hiddenNow = Object.entries(next)
        .filter(([, shown]) => !shown)
        .map(([id]) => id);
      navigate({ cols: hiddenNow.length > 0 ? hiddenNow.join(',') : undefined });
    },
  });

  const ordering = query.ordering ?? (queueView ? 'queuedAt' : '-lastMessageAt');
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="badge badge-ghost" data-testid="clients-count">
          {t('count', { count })}
        </span>
        <details className="dropdown">
          <summary className="btn btn-sm">{t('columns')}</summary>
          <ul className="dropdown-content menu z-20 w-52 rounded-box bg-base-100 p-2 shadow">
            {table
              .getAllLeafColumns()
              .filter((c) => c.getCanHide())
              .map((c) => (
                <li key={c.id}>
                  <label className="label cursor-pointer justify-start gap-2">
                    <input
                      type="checkbox"
                      className="checkbox checkbox-sm"
                      checked={c.getIsVisible()}
                      onChange={c.getToggleVisibilityHandler()}
                    />
                    {t(`col.${c.id}` as 'col.status')}
                  </label>
                </li>
              ))}
          </ul>
        </details>
        {selectedIds.length > 0 && (
          <BulkBar
            clientIds={selectedIds}
            departments={departments}
            operators={operators}
            onDone={(message) => {
              setNotice(message);
              setSelection({});
              void reload();
            }}
          />
        )}
        <span role="status" className="text-sm" data-testid="bulk-result">
          {notice}
        </span>
      </div>
      {rows.length === 0 ? (
        <div className="alert">{t('empty')}</div>
      ) : (
        <ServerTable
          table={table}
          ordering={String(ordering)}
          sortFields={SORTABLE}
          onOrder={(next) => navigate({ ordering: next, page: undefined })}
          cellClass={{ select: 'w-8' }}
          caption={t('title')}
          testId="clients-table"
          rowTestId="client-row"
        />
      )}
    </div>
  );
}
