import { visibleName } from '@/lib/text/visible-text';

/**
 * How a client is named in every view: their display name with invisible and bidi-control
 * characters removed, or `@username`, or `Telegram user <id>` — never an empty or reordered
 * label (names stored before names were cleaned at ingest are cleaned here too).
 */
export function clientLabel(client: {
  displayName: string;
  username?: string | null;
  telegramUserId: number;
}) {
  return (
    visibleName(client.displayName) ??
    (client.username ? `@${client.username}` : `Telegram user ${client.telegramUserId}`)
  );
}
