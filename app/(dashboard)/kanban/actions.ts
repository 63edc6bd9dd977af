'use server';

import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { clientStatus, type ClientStatus } from '@/db/schema';
import { CLIENT_STATUSES } from '@/lib/clients/client-status';
import { drainQueueForOperator } from '@/lib/clients/drain-queue-for-operator';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import { listClients } from '@/lib/clients/list-clients';
import { moveClientStatus } from '@/lib/clients/move-client-status';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { KANBAN_PAGE_SIZE } from '@/components/kanban/kanban-page-size';

const filtersSchema = z.object({ departmentId: z.uuid().optional(), operatorId: z.uuid().optional() });
export type KanbanFilters = z.infer<typeof filtersSchema>;

/** Cards of one column, newest activity first (KANBAN_PAGE_SIZE a page unless asked for more, ≤ 100). */
export async function loadKanbanColumnAction(
  status: ClientStatus,
  filters: KanbanFilters,
  page: number,
  pageSize = KANBAN_PAGE_SIZE,
): Promise<ActionResult<{ results: ClientDto[]; count: number }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const f = filtersSchema.parse(filters);
    const result = await listClients({
      db: await getDb(),
      actor,
      input: {
        status: [z.enum(clientStatus.enumValues).parse(status)],
        departmentId: f.departmentId,
        assignedOperatorId: f.operatorId,
        ordering: '-lastMessageAt',
        page: z.number().int().min(1).parse(page),
        pageSize: z.number().int().min(1).max(100).parse(pageSize),
      },
    });
    return { results: result.results, count: result.count };
  });
}

const boardSizesSchema = z.record(z.enum(clientStatus.enumValues), z.number().int().min(1).max(100));

/**
 * The whole board in one round trip — each column's count and its first `sizes[status]` cards
 * (1–100), newest activity first — for the live reload: the browser runs server actions one at
 * a time, so a count and five columns as separate actions cost six round trips in a row.
 */
export async function loadKanbanBoardAction(
  filters: KanbanFilters,
  sizes: Record<ClientStatus, number>,
): Promise<
  ActionResult<{ counts: Record<ClientStatus, number>; columns: Record<ClientStatus, ClientDto[]> }>
> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const f = filtersSchema.parse(filters);
    const pageSizes = boardSizesSchema.parse(sizes);
    const db = await getDb();
    // Each column's count comes with its own page (bench:dashboard: no second grouped count).
    const pages = await Promise.all(
      CLIENT_STATUSES.map((status) =>
        listClients({
          db,
          actor,
          input: {
            status: [status],
            departmentId: f.departmentId,
            assignedOperatorId: f.operatorId,
            ordering: '-lastMessageAt',
            pageSize: pageSizes[status],
          },
        }),
      ),
    );
    const counts = Object.fromEntries(
      CLIENT_STATUSES.map((status, i) => [status, pages[i]?.count ?? 0]),
    ) as Record<ClientStatus, number>;
    const columns = Object.fromEntries(
      CLIENT_STATUSES.map((status, i) => [status, pages[i]?.results ?? []]),
    ) as Record<ClientStatus, ClientDto[]>;
    return { counts, columns };
  });
}

/** A card moved to another column: the client's status through the transitions (refusals explained). */
export async function moveClientStatusAction(
  clientId: string,
  status: ClientStatus,
): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const db = await getDb();
    const moved = await db.transaction((tx) => moveClientStatus({ tx, actor, input: { clientId, status } }));
    if (moved.freedOperatorId) await drainQueueForOperator({ db, operatorId: moved.freedOperatorId });
    return null;
  });
}
