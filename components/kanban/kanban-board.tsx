'use client';

import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import { useTranslations } from 'next-intl';
import { useCallback, useRef, useState } from 'react';
import {
  loadKanbanBoardAction,
  loadKanbanColumnAction,
  moveClientStatusAction,
  type KanbanFilters,
} from '@/app/(dashboard)/kanban/actions';
import type { ClientStatus } from '@/db/schema';
import { clientLabel } from '@/lib/clients/client-label';
// Not lib/clients/client-status: it imports the schema, and drizzle with it, into this bundle.
import { CLIENT_STATUS_VALUES as KANBAN_STATUSES } from '@/db/client-statuses';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import { FilterSelect, namedOptions } from '../list/filters';
import { useLiveEvents } from '../live/live-provider';
import { KanbanCard } from './kanban-card';
import { KANBAN_PAGE_SIZE } from './kanban-page-size';

const RELOAD_DEBOUNCE_MS = 150;

export type KanbanColumns = Record<ClientStatus, ClientDto[]>;

function Column({
  status,
  count,
  clients,
  onMove,
  onMore,
}: {
  status: ClientStatus;
  count: number;
  clients: ClientDto[];
  onMove: (client: ClientDto, to: ClientStatus) => void;
  onMore: () => void;
}) {
  const t = useTranslations('kanban');
  const ts = useTranslations('clientStatus');
  const { setNodeRef, isOver } = useDroppable({ id: status });
  const headingId = `kanban-${status}`;
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      className={`flex w-72 shrink-0 flex-col rounded-box bg-base-300/40 p-2 ${isOver ? 'ring-2 ring-primary' : ''}`}
      data-testid={`kanban-column-${status}`}
    >
      <h2 id={headingId} className="mb-2 flex items-center justify-between px-1 font-semibold">
        <span>{ts(status)}</span>
        <span
          className="badge badge-neutral"
          aria-label={t('column', { status: ts(status), count })}
          data-testid="kanban-count"
        >
          {count}
        </span>
      </h2>
      <ul className="flex max-h-[calc(100vh-14rem)] flex-col gap-2 overflow-y-auto">
        {clients.map((client) => (
          <KanbanCard key={client.id} client={client} onMove={(to) => onMove(client, to)} />
        ))}
        {clients.length === 0 && <li className="p-2 text-sm opacity-70">{t('empty')}</li>}
      </ul>
      {clients.length < count && (
        <button type="button" className="btn btn-ghost btn-sm mt-2" onClick={onMore}>
          {t('loadMore', { shown: clients.length, count })}
        </button>
      )}
    </section>
  );
}

/**
 * The kanban: a column per client status with its count from the database and its cards loaded
 * KANBAN_PAGE_SIZE (20) at a time; a card moves by drag and drop (pointer or keyboard) or its "Move to…" menu,
 * through the client transitions — a refused move puts the card back and says why. Live events
 * reload the columns (debounced).
 */
export function KanbanBoard({
  initialColumns,
  initialCounts,
  filters,
  departments,
  operators,
}: {
  initialColumns: KanbanColumns;
  initialCounts: Record<ClientStatus, number>;
  filters: KanbanFilters;
  departments: DepartmentOption[];
  operators: OperatorOption[];
}) {
  const t = useTranslations('kanban');
  const ts = useTranslations('clientStatus');
  const [columns, setColumns] = useState(initialColumns);
  const [counts, setCounts] = useState(initialCounts);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor),
  );
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = useCallback(async () => {
    const sizes = Object.fromEntries(
      KANBAN_STATUSES.map((s) => [s, Math.min(100, Math.max(KANBAN_PAGE_SIZE, columns[s].length))]),
    ) as Record<ClientStatus, number>;
    const result = await loadKanbanBoardAction(filters, sizes);
    if (!result.ok) return;
    setCounts(result.data.counts);
    setColumns(result.data.columns);
  }, [filters, columns]);

  useLiveEvents((event) => {
    if (event.type === 'operator.updated') return;
    if (reloadTimer.current) clearTimeout(reloadTimer.current);
    // Short: it only gathers the few events one change emits (a message, then its client).
    reloadTimer.current = setTimeout(() => void reload(), RELOAD_DEBOUNCE_MS);
  });

  const move = (client: ClientDto, to: ClientStatus) => {
    const from = client.status as ClientStatus;
    if (from === to) return;
    const name = clientLabel(client);
    // Optimistic: the card moves now and comes back if the desk refuses.
    setColumns((c) => ({
      ...c,
      [from]: c[from].filter((x) => x.id !== client.id),
      [to]: [{ ...client, status: to }, ...c[to]],
    }));
    setCounts((c) => ({ ...c, [from]: c[from] - 1, [to]: c[to] + 1 }));
    void moveClientStatusAction(client.id, to).then((result) => {
      if (result.ok) setNotice({ kind: 'success', text: t('moved', { name, status: ts(to) }) });
      else {
        setNotice({ kind: 'error', text: t('refused', { name, reason: result.message }) });
        setColumns((c) => ({
          ...c,
          [to]: c[to].filter((x) => x.id !== client.id),
          [from]: [client, ...c[from]],
        }));
        setCounts((c) => ({ ...c, [from]: c[from] + 1, [to]: c[to] - 1 }));
      }
      void reload();
    });
  };

  const onDragEnd = (event: DragEndEvent) => {
    const client = (event.active.data.current as { client?: ClientDto } | undefined)?.client;
    const to = event.over?.id as ClientStatus | undefined;
    if (client && to) move(client, to);
  };

  const more = async (status: ClientStatus) => {
    const page = Math.floor(columns[status].length / KANBAN_PAGE_SIZE) + 1;
    const result = await loadKanbanColumnAction(status, filters, page, KANBAN_PAGE_SIZE);
    if (!result.ok) return;
    setColumns((c) => {
      const known = new Set(c[status].map((x) => x.id));
      return { ...c, [status]: [...c[status], ...result.data.results.filter((x) => !known.has(x.id))] };
    });
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <FilterSelect
          param="department"
          label={t('department')}
          value={filters.departmentId ?? undefined}
          allLabel={t('all')}
          className=""
          options={namedOptions(departments)}
        />
        <FilterSelect
          param="operator"
          label={t('operator')}
          value={filters.operatorId ?? undefined}
          allLabel={t('all')}
          className=""
          options={namedOptions(operators)}
        />
        <p className="text-xs opacity-70 sm:max-w-md">{t('dragHint')}</p>
      </div>
      <div role="status" aria-live="polite" className="min-h-6">
        {notice && (
          <span
            className={notice.kind === 'error' ? 'alert alert-error py-1 text-sm' : 'text-sm'}
            data-testid="kanban-notice"
          >
            {notice.text}
          </span>
        )}
      </div>
      {/* A fixed id: dnd-kit numbers its aria ids per render otherwise, and the server and the
          browser disagree (a hydration mismatch on the aria-describedby of every card). */}
      <DndContext id="kanban" sensors={sensors} onDragEnd={onDragEnd}>
        <div className="flex gap-3 overflow-x-auto pb-2" data-testid="kanban">
          {KANBAN_STATUSES.map((status) => (
            <Column
              key={status}
              status={status}
              count={counts[status]}
              clients={columns[status]}
              onMove={move}
              onMore={() => void more(status)}
            />
          ))}
        </div>
      </DndContext>
    </div>
  );
}
