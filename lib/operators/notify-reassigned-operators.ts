import { inArray } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import type { DbOrTx } from '@/db/client';
import { operators } from '@/db/schema';
import { defaultLocale, isLocale, type Locale } from '@/i18n/config';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';
import type { AppliedMove } from '@/lib/clients/reassign-clients';
import { recordOutbox, type OutboxItem } from '@/lib/outbox/record-outbox';

const MESSAGES = { en, ru } as const;
/** Names listed in one notice; the rest are counted ("and 3 more"). */
const MAX_NAMES = 10;

/** The notice texts one operator gets about a batch of moves, in their language (or none). */
export function reassignmentNotices(
  operatorId: string,
  moves: readonly AppliedMove[],
  locale: Locale,
): string[] {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: 'operatorNotices' });
  const list = (group: readonly AppliedMove[]) => {
    const names = group.slice(0, MAX_NAMES).map((m) => m.displayName);
    const more = group.length - names.length;
    return more > 0 ? t('listMore', { names: names.join(', '), count: more }) : names.join(', ');
  };
  const texts: string[] = [];
  const received = moves.filter((m) => m.toOperatorId === operatorId);
  if (received.length > 0) texts.push(t('received', { count: received.length, names: list(received) }));
  for (const reason of ['response_time_limit', 'operator_offline', 'over_capacity'] as const) {
    const lost = moves.filter((m) => m.fromOperatorId === operatorId && m.reason === reason);
    if (lost.length > 0) texts.push(t(`lost.${reason}`, { count: lost.length, names: list(lost) }));
  }
  return texts;
}

/**
 * Tells the operators on both sides of automatic reassignments, in Telegram (those who linked
 * it; the dashboard shows the change live): "N clients were passed to you: …" and "N clients
 * were passed on because you did not answer in time / went offline / were over capacity: …", in
 * the operator's dashboard language. Records the notices in the outbox in the moves' own
 * transaction (the worker sends them at Telegram's pace after commit). Returns how many notices
 * were recorded.
 */
export async function recordReassignmentNotices(tx: DbOrTx, moves: readonly AppliedMove[]): Promise<number> {
  if (moves.length === 0) return 0;
  const ids = [
    ...new Set(moves.flatMap((m) => [m.fromOperatorId, ...(m.toOperatorId ? [m.toOperatorId] : [])])),
  ];
  const people = await tx
    .select({ id: operators.id, telegramUserId: operators.telegramUserId, locale: operators.locale })
    .from(operators)
    .where(inArray(operators.id, ids));
  const items: OutboxItem[] = [];
  for (const person of people) {
    if (!person.telegramUserId) continue;
    const locale = isLocale(person.locale) ? person.locale : defaultLocale;
    for (const text of reassignmentNotices(person.id, moves, locale)) {
      items.push({
        kind: 'bot_call',
        payload: { method: 'sendMessage', payload: { chat_id: person.telegramUserId, text } },
      });
    }
  }
  await recordOutbox(tx, items);
  return items.length;
}
