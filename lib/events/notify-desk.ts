import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';

export const DESK_CHANNEL = 'desk_events';

export type DeskEvent =
  | {
      type: 'message.created';
      clientId: string;
      messageId: string;
      departmentId: string | null;
      operatorId: string | null;
    }
  | {
      type: 'message.updated';
      clientId: string;
      messageId: string;
      departmentId: string | null;
      operatorId: string | null;
    }
  | { type: 'client.updated'; clientId: string; departmentId: string | null; operatorId: string | null }
  | { type: 'operator.updated'; operatorId: string };

const clientRef = { clientId: z.uuid(), departmentId: z.uuid().nullable(), operatorId: z.uuid().nullable() };

/** A desk event as listeners receive it (from TypeScript or from SQL emitters alike). */
export const deskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message.created'), messageId: z.uuid(), ...clientRef }),
  z.object({ type: z.literal('message.updated'), messageId: z.uuid(), ...clientRef }),
  z.object({ type: z.literal('client.updated'), ...clientRef }),
  z.object({ type: z.literal('operator.updated'), operatorId: z.uuid() }),
]);

/** pg_notify inside the caller's transaction: listeners hear it only if the change commits. */
export async function notifyDesk(tx: DbOrTx, event: DeskEvent): Promise<void> {
  await tx.execute(sql`select pg_notify(${DESK_CHANNEL}, ${JSON.stringify(event)})`);
}
