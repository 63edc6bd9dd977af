import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { telegramUsers, type ClientStatus } from '@/db/schema';
import { displayNameOf } from '@/lib/telegram/display-name';
import type { TelegramUserPayload } from '@/lib/telegram/update-schema';
import type { LockedClient } from './apply-client-event';

export type UpsertedClient = LockedClient & {
  queuedAt: Date | null;
  /** The assigned operator has linked Telegram and gets notifications there. */
  operatorInTelegram: boolean;
  /** The client row was created by this upsert. */
  created: boolean;
};

/**
 * Records who wrote: the Telegram user (names and username change, the id does not) and their
 * client — created `new` in the default department, or refreshed (display name, language and,
 * with `sentAt`, the activity times). Status, unread count and assignment are not touched here:
 * receiveClientMessage applies the message's transition once the message is stored. The client
 * row stays locked until the end of the transaction. Two statements.
 */
export async function upsertTelegramClient(
  tx: DbOrTx,
  from: TelegramUserPayload,
  chatId: number,
  { sentAt = null }: { sentAt?: Date | null } = {},
): Promise<UpsertedClient> {
  const now = new Date();
  await tx
    .insert(telegramUsers)
    .values({
      id: from.id,
      isBot: from.is_bot,
      firstName: from.first_name,
      lastName: from.last_name ?? null,
      username: from.username ?? null,
      languageCode: from.language_code ?? null,
      isPremium: from.is_premium ?? false,
    })
    .onConflictDoUpdate({
      target: telegramUsers.id,
      set: {
        firstName: from.first_name,
        lastName: from.last_name ?? null,
        username: from.username ?? null,
        languageCode: from.language_code ?? null,
        isPremium: from.is_premium ?? false,
        updatedAt: now,
      },
    });

  const at = sentAt ? sentAt.toISOString() : null;
  const rows = rowsOf<{
    id: string;
    status: ClientStatus;
    status_before_block: ClientStatus | null;
    department_id: string | null;
    assigned_operator_id: string | null;
    current_conversation_id: string | null;
    queued_at: string | Date | null;
    language: string | null;
    unread_count: number;
    operator_in_telegram: boolean | null;
    created: boolean;
  }>(
    await tx.execute(sql`
      insert into clients (telegram_user_id, chat_id, display_name, language, department_id, status,
        last_message_at, last_inbound_at)
      values (
        ${from.id}, ${chatId}, ${displayNameOf(from)}, ${from.language_code ?? null},
        (select id from departments where is_default and is_active limit 1), 'new', ${at}, ${at}
      )
      on conflict (telegram_user_id) do update set
        display_name = excluded.display_name,
        language = coalesce(excluded.language, clients.language),
        last_message_at = greatest(clients.last_message_at, excluded.last_message_at),
        last_inbound_at = greatest(clients.last_inbound_at, excluded.last_inbound_at),
        updated_at = now()
      returning id, status, status_before_block, department_id, assigned_operator_id, current_conversation_id,
        queued_at, language, unread_count,
        (select o.telegram_user_id is not null from operators o where o.id = clients.assigned_operator_id) as operator_in_telegram,
        -- xmax is 0 on a row version this statement inserted, set on one it updated.
        (xmax = 0) as created
    `),
  );
  const row = rows[0];
  if (!row) throw new Error('client upsert returned no row');
  return {
    id: row.id,
    status: row.status,
    statusBeforeBlock: row.status_before_block,
    departmentId: row.department_id,
    assignedOperatorId: row.assigned_operator_id,
    currentConversationId: row.current_conversation_id,
    queuedAt: row.queued_at === null ? null : new Date(row.queued_at),
    chatId,
    language: row.language,
    unreadCount: Number(row.unread_count),
    operatorInTelegram: row.operator_in_telegram === true,
    created: row.created === true,
  };
}
