'use client';

import Link from 'next/link';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { clientLabel } from '@/lib/clients/client-label';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import { ClientStatusBadge } from './client-status-badge';
import { RelativeTime } from './relative-time';

const column = createColumnHelper<ClientDto>();

const columns = [
  column.accessor('displayName', {
    header: 'Client',
    cell: (info) => (
      <Link href={`/clients/${info.row.original.id}`} className="link link-primary font-medium">
        <bdi>{clientLabel(info.row.original)}</bdi>
        {info.row.original.username && <span className="ml-1 opacity-60">@{info.row.original.username}</span>}
      </Link>
    ),
  }),
  column.accessor('status', {
    header: 'Status',
    cell: (info) => <ClientStatusBadge status={info.getValue()} />,
  }),
  column.accessor('departmentName', { header: 'Department', cell: (info) => info.getValue() ?? '—' }),
  column.accessor('assignedOperatorName', {
    header: 'Operator',
    cell: (info) => info.getValue() ?? <span className="badge badge-ghost">queue</span>,
  }),
  column.accessor('unreadCount', {
    header: 'Unread',
    cell: (info) =>
      info.getValue() > 0 ? <span className="badge badge-primary">{info.getValue()}</span> : '',
  }),
  column.accessor('lastMessageAt', {
    header: 'Last message',
    cell: (info) => <RelativeTime iso={info.getValue()} />,
  }),
];

export function ClientsTable({ clients }: { clients: ClientDto[] }) {
  const table = useReactTable({ data: clients, columns, getCoreRowModel: getCoreRowModel() });
  if (clients.length === 0) {
    return <div className="alert">No clients here yet. New Telegram conversations appear automatically.</div>;
  }
  return (
    <div className="overflow-x-auto rounded-box bg-base-100">
      <table className="table" data-testid="clients-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id}>{flexRender(header.column.columnDef.header, header.getContext())}</th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-base-200">
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
