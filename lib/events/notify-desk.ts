import { sql } from 'drizzle-orm';
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

/** pg_notify inside the caller's transaction: listeners hear it only if the change commits. */
export async function notifyDesk(tx: DbOrTx, event: DeskEvent): Promise<void> {
  await tx.execute(sql`select pg_notify(${DESK_CHANNEL}, ${JSON.stringify(event)})`);
}
