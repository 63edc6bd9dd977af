import { visibleName } from '@/lib/text/visible-text';
import type { TelegramUserPayload } from './update-schema';

/**
 * How a Telegram user is named in the desk: first and last name with invisible and
 * bidi-control characters removed (lib/text/visible-text.ts); when nothing visible is left,
 * `@username`, else `Telegram user <id>`. Usernames are 5–32 of [A-Za-z0-9_] (Telegram's rule),
 * so they need no cleaning.
 */
export function displayNameOf(
  user: Pick<TelegramUserPayload, 'id' | 'first_name' | 'last_name' | 'username'>,
): string {
  const name = visibleName([user.first_name, user.last_name].filter(Boolean).join(' '));
  return name ?? (user.username ? `@${user.username}` : `Telegram user ${user.id}`);
}
