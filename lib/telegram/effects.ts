/** A direct Bot API call to an operator or a callback answer; not part of a client's history. */
export type BotCall = { method: string; payload: Record<string, unknown> };

/** Tell the assigned operator in Telegram; `albumItem` = a later item of an album already announced. */
export type OperatorNotification = { messageId: string; albumItemTelegramMessageId?: number };

/** An operator's edit in Telegram of a reply that reached a client: relayed after commit. */
export type RelayEdit = {
  messageId: string;
  operatorId: string;
  text: string;
  entities: unknown[];
  operatorChatId: number;
  operatorMessageId: number;
};

/**
 * Work an update causes after its transaction commits — operator notifications, direct bot
 * answers, queue drains, edit relays — recorded in the outbox in that transaction
 * (recordEffects, lib/outbox). Queued client messages and file downloads need no entry here:
 * the database records them in the outbox when they are stored.
 */
export type Effects = {
  notifications: OperatorNotification[];
  botCalls: BotCall[];
  /** Operators whose load dropped: their departments' queues are drained after commit. */
  drains: string[];
  relayEdits: RelayEdit[];
};

export function emptyEffects(): Effects {
  return { notifications: [], botCalls: [], drains: [], relayEdits: [] };
}
