import { operatorLogs } from '@/db/schema';
import type { DbOrTx } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';

export type AuditEntry = {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/** Appends an operator_logs row; call it inside the transaction of the change it describes. */
export async function recordAudit(tx: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  const context = actor.kind === 'operator' || actor.kind === 'api_token' ? actor.context : undefined;
  await tx.insert(operatorLogs).values({
    actorType: actor.kind,
    operatorId: actor.kind === 'operator' ? actor.operatorId : null,
    apiTokenId: actor.kind === 'api_token' ? actor.tokenId : null,
    telegramUserId: actor.kind === 'telegram' ? actor.telegramUserId : null,
    actorLabel: actor.name,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
    ip: context?.ip ?? null,
    userAgent: context?.userAgent?.slice(0, 500) ?? null,
  });
}
