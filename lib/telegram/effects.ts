import type { QueuedMessage } from '@/lib/jobs/dispatch-outbound';

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
 * Work an update causes after its transaction commits: outbound client messages, file
 * downloads, operator notifications and direct bot answers. Never run inside the transaction.
 */
export type Effects = {
  outbound: QueuedMessage[];
  downloads: string[];
  notifications: OperatorNotification[];
  botCalls: BotCall[];
  /** Operators whose load dropped: their departments' queues are drained after commit. */
  drains: string[];
  relayEdits: RelayEdit[];
};

export function emptyEffects(): Effects {
  return { outbound: [], downloads: [], notifications: [], botCalls: [], drains: [], relayEdits: [] };
}

export function hasEffects(effects: Effects): boolean {
  return (
    effects.outbound.length +
      effects.downloads.length +
      effects.notifications.length +
      effects.botCalls.length +
      effects.drains.length +
      effects.relayEdits.length >
    0
  );
}
