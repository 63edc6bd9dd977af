'use client';

import { useDraggable } from '@dnd-kit/core';
import Link from 'next/link';
import { useNow, useTranslations } from 'next-intl';
import type { ClientStatus } from '@/db/schema';
import { clientLabel } from '@/lib/clients/client-label';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import { durationParts } from '../format-duration';

const STATUSES: ClientStatus[] = ['new', 'in_progress', 'waiting', 'resolved', 'blocked'];

/** One client on the kanban: who, where, the latest message, how long they have waited; draggable. */
export function KanbanCard({
  client,
  onMove,
}: {
  client: ClientDto;
  onMove: (status: ClientStatus) => void;
}) {
  const t = useTranslations('kanban');
  const ts = useTranslations('clientStatus');
  const td = useTranslations('duration');
  const now = useNow({ updateInterval: 60_000 });
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: client.id,
    data: { client },
  });
  const name = clientLabel(client);
  const waiting =
    (client.status === 'new' || client.status === 'waiting') && client.lastInboundAt
      ? (now.getTime() - new Date(client.lastInboundAt).getTime()) / 1000
      : null;
  const wait = waiting === null ? null : durationParts(waiting);
  return (
    <li
      ref={setNodeRef}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      className={`card card-sm bg-base-100 shadow-sm ${isDragging ? 'z-10 opacity-80 ring-2 ring-primary' : ''}`}
      data-testid="kanban-card"
      data-client-id={client.id}
    >
      <div className="card-body gap-1 p-3">
        <div className="flex items-start gap-2">
          <button
            type="button"
            className="btn btn-ghost btn-xs cursor-grab px-1"
            aria-label={t('moveToLabel', { name })}
            {...attributes}
            {...listeners}
          >
            <span aria-hidden>⋮⋮</span>
          </button>
          <Link href={`/clients/${client.id}`} className="link link-hover min-w-0 flex-1 font-medium">
            <bdi className="block truncate">{name}</bdi>
          </Link>
          {client.unreadCount > 0 && (
            <span className="badge badge-primary badge-sm">{t('unread', { count: client.unreadCount })}</span>
          )}
        </div>
        <p className="text-xs opacity-70">
          {client.departmentName ?? t('noDepartment')} · {client.assignedOperatorName ?? t('queue')}
        </p>
        {client.lastMessagePreview && (
          <p className="line-clamp-2 text-sm" dir="auto">
            {client.lastMessagePreview}
          </p>
        )}
        <div className="flex items-center justify-between gap-2">
          <span className="text-xs font-medium">
            {wait ? t('waitingFor', { duration: td(wait.key, wait.values) }) : ''}
          </span>
          <select
            className="select select-xs w-auto"
            aria-label={t('moveToLabel', { name })}
            value=""
            onChange={(e) => e.target.value && onMove(e.target.value as ClientStatus)}
          >
            <option value="">{t('moveTo')}</option>
            {STATUSES.filter((s) => s !== client.status && s !== 'blocked').map((s) => (
              <option key={s} value={s}>
                {ts(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
    </li>
  );
}
