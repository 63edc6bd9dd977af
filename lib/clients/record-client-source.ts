import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';

/** Longest source kept: a /start deep-link payload is at most 64 characters (Bot API, deep linking). */
const SOURCE_MAX = 64;

/**
 * Keeps where a client first came from — the payload of a `/start <payload>` deep link, such as
 * an ad campaign — unless a source is known already (the first one wins).
 */
export async function recordClientSource(tx: DbOrTx, clientId: string, source: string): Promise<void> {
  await tx
    .update(clients)
    .set({ source: source.slice(0, SOURCE_MAX) })
    .where(and(eq(clients.id, clientId), isNull(clients.source)));
}
