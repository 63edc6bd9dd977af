'use server';

import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { assignClient } from '@/lib/clients/assign-client';
import { drainQueueForOperator } from '@/lib/clients/drain-queue-for-operator';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import { listClients, type ListClientsInput } from '@/lib/clients/list-clients';
import { resolveClient } from '@/lib/clients/resolve-client';
import { transferClient } from '@/lib/clients/transfer-client';
import { AppError, toActionResult, toProblem, type ActionResult } from '@/lib/errors';

/** The clients list page's data for a query (the list's own schema validates it). */
export async function listClientsAction(
  input: ListClientsInput,
): Promise<ActionResult<{ results: ClientDto[]; count: number }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const page = await listClients({ db: await getDb(), actor, input });
    return { results: page.results, count: page.count };
  });
}

const bulkSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('assign'),
    clientIds: z.array(z.uuid()).min(1).max(100),
    operatorId: z.uuid().nullable(),
  }),
  z.object({
    action: z.literal('transfer'),
    clientIds: z.array(z.uuid()).min(1).max(100),
    departmentId: z.uuid(),
  }),
  z.object({ action: z.literal('resolve'), clientIds: z.array(z.uuid()).min(1).max(100) }),
]);
export type BulkClientsInput = z.input<typeof bulkSchema>;

/**
 * One action on several clients: each goes through its own transition and transaction (a refusal
 * for one does not undo the others), then the queue moves on for every operator who freed a place.
 * Answers how many succeeded and why the others were refused.
 */
export async function bulkClientsAction(
  input: BulkClientsInput,
): Promise<ActionResult<{ ok: number; refused: { clientId: string; reason: string }[] }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const data = bulkSchema.parse(input);
    const db = await getDb();
    let ok = 0;
    const refused: { clientId: string; reason: string }[] = [];
    const freed = new Set<string>();
    for (const clientId of data.clientIds) {
      try {
        await db.transaction(async (tx) => {
          if (data.action === 'assign') {
            const r = await assignClient({ tx, actor, input: { clientId, operatorId: data.operatorId } });
            if (r.operatorId && r.previousOperatorId) freed.add(r.previousOperatorId);
          } else if (data.action === 'transfer') {
            const r = await transferClient({
              tx,
              actor,
              input: { clientId, departmentId: data.departmentId },
            });
            if (r.freedOperatorId) freed.add(r.freedOperatorId);
          } else {
            const r = await resolveClient({ tx, actor, input: { clientId } });
            if (r.freedOperatorId) freed.add(r.freedOperatorId);
          }
        });
        ok += 1;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        refused.push({ clientId, reason: toProblem(error).detail });
      }
    }
    kickOutbox(); // rating requests, queued with each resolve
    for (const operatorId of freed) await drainQueueForOperator({ db, operatorId });
    return { ok, refused };
  });
}
