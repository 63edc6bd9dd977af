import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { conversations, telegramUsers } from '@/db/schema';
import type { TelegramUserPayload } from '../update-schema';

export type UpsertedClient = {
  id: string;
  departmentId: string | null;
  assignedOperatorId: string | null;
  /** The assigned operator has linked Telegram and gets notifications there. */
  operatorInTelegram: boolean;
  conversationId: string | null;
  language: string | null;
  status: string;
  chatId: number;
  /** The client row was created by this upsert. */
  created: boolean;
};

export function displayNameOf(user: TelegramUserPayload): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return name || (user.username ? `@${user.username}` : `Telegram user ${user.id}`);
}

/**
 * Upserts the Telegram user and their client in two statements. With `message` set the client's
 * activity and unread count move, and a resolved or blocked client is reopened (a resolved one
 * starts a new episode and is assigned afresh); without it (commands) only identity is refreshed.
 */
export async function upsertClient(
  tx: Tx,
  from: TelegramUserPayload,
  chatId: number,
  message: { sentAt: Date; unread: number } | null,
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

  const at = message ? message.sentAt.toISOString() : null;
  const unread = message?.unread ?? 0;
  const reopen = message !== null;
  const rows = rowsOf<{
    id: string;
    department_id: string | null;
    assigned_operator_id: string | null;
    current_conversation_id: string | null;
    language: string | null;
    status: string;
    operator_in_telegram: boolean | null;
    created: boolean;
  }>(
    await tx.execute(sql`
      insert into clients (telegram_user_id, chat_id, display_name, language, department_id, last_message_at, last_inbound_at, unread_count)
      values (
        ${from.id}, ${chatId}, ${displayNameOf(from)}, ${from.language_code ?? null},
        (select id from departments where is_default and is_active limit 1),
        ${at}, ${at}, ${unread}
      )
      on conflict (telegram_user_id) do update set
        display_name = excluded.display_name,
        language = coalesce(excluded.language, clients.language),
        last_message_at = greatest(clients.last_message_at, excluded.last_message_at),
        last_inbound_at = greatest(clients.last_inbound_at, excluded.last_inbound_at),
        unread_count = clients.unread_count + ${unread},
        status = case when ${reopen} and clients.status in ('resolved', 'blocked') then 'new'::client_status else clients.status end,
        blocked_at = case when ${reopen} then null else clients.blocked_at end,
        status_before_block = case when ${reopen} then null else clients.status_before_block end,
        current_conversation_id = case when ${reopen} and clients.status = 'resolved' then null else clients.current_conversation_id end,
        assigned_operator_id = case when ${reopen} and clients.status = 'resolved' then null else clients.assigned_operator_id end,
        assigned_at = case when ${reopen} and clients.status = 'resolved' then null else clients.assigned_at end,
        updated_at = now()
      returning id, department_id, assigned_operator_id, current_conversation_id, language, status,
        (select o.telegram_user_id is not null from operators o where o.id = clients.assigned_operator_id) as operator_in_telegram,
        -- xmax is 0 on a row version this statement inserted, set on one it updated.
        (xmax = 0) as created
    `),
  );
  const row = rows[0];
  if (!row) throw new Error('client upsert returned no row');
  return {
    id: row.id,
    departmentId: row.department_id,
    assignedOperatorId: row.assigned_operator_id,
    operatorInTelegram: row.operator_in_telegram === true,
    conversationId: row.current_conversation_id,
    language: row.language,
    status: row.status,
    chatId,
    created: row.created === true,
  };
}

/** The client's open support episode, opened now if there is none. */
export async function ensureConversation(tx: Tx, client: UpsertedClient): Promise<string | null> {
  if (client.conversationId) return client.conversationId;
  // At most one open episode per client: end any left open (e.g. a status changed by hand).
  // A client created just now has none, which saves the statement on every first message.
  if (!client.created) {
    await tx
      .update(conversations)
      .set({ status: 'resolved', resolvedAt: new Date() })
      .where(and(eq(conversations.clientId, client.id), eq(conversations.status, 'open')));
  }
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
      with opened as (
        insert into conversations (client_id, department_id, operator_id)
        values (${client.id}, ${client.departmentId}, ${client.assignedOperatorId})
        returning id
      )
      update clients set current_conversation_id = opened.id from opened where clients.id = ${client.id}
      returning opened.id
    `),
  );
  const id = rows[0]?.id ?? null;
  client.conversationId = id;
  return id;
}
