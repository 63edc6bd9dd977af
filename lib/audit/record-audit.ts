import { operatorLogs } from '@/db/schema';
import type { DbOrTx } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';

export type AuditEntry = {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/** Who did it, as operator_logs columns: the one mapping from an actor to an audit row. */
export function auditActorColumns(actor: Actor) {
  const context = actor.kind === 'operator' || actor.kind === 'api_token' ? actor.context : undefined;
  return {
    actorType: actor.kind,
    operatorId: actor.kind === 'operator' ? actor.operatorId : null,
    apiTokenId: actor.kind === 'api_token' ? actor.tokenId : null,
    telegramUserId: actor.kind === 'telegram' ? actor.telegramUserId : null,
    actorLabel: actor.name,
    ip: context?.ip ?? null,
    userAgent: context?.userAgent?.slice(0, 500) ?? null,
  };
}

/** Appends an operator_logs row; call it inside the transaction of the change it describes. */
export async function recordAudit(tx: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(operatorLogs).values({
    ...auditActorColumns(actor),
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  });
}
