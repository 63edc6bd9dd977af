import { inArray } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import type { DbOrTx } from '@/db/client';
import { operators } from '@/db/schema';
import { defaultLocale, isLocale, type Locale } from '@/i18n/config';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';
import type { AppliedMove } from '@/lib/clients/reassign-clients';
import type { ReassignReason } from '@/lib/clients/plan-reassignment';
import { recordOutbox, type OutboxItem } from '@/lib/outbox/record-outbox';

const MESSAGES = { en, ru } as const;
/** Names listed in one notice; the rest are counted ("and 3 more"). */
const MAX_NAMES = 10;

type Translator = ReturnType<typeof createTranslator<(typeof MESSAGES)[Locale], 'operatorNotices'>>;
const translators = new Map<Locale, Translator>();

/** One translator per language for the whole process: building one per notice cost more than the notices. */
function translatorFor(locale: Locale): Translator {
  let t = translators.get(locale);
  if (!t) {
    t = createTranslator({ locale, messages: MESSAGES[locale], namespace: 'operatorNotices' });
    translators.set(locale, t);
  }
  return t;
}

const LOST_REASONS = ['response_time_limit', 'operator_offline', 'over_capacity'] as const;

/** One operator's side of a batch of moves: the clients they received, and lost by reason. */
type OperatorShare = { received: AppliedMove[]; lost: Record<ReassignReason, AppliedMove[]> };

/** Groups a batch of moves by operator in one pass (both sides of every move). */
function sharesOf(moves: readonly AppliedMove[]): Map<string, OperatorShare> {
  const shares = new Map<string, OperatorShare>();
  const shareOf = (operatorId: string) => {
    let share = shares.get(operatorId);
    if (!share) {
      share = { received: [], lost: { response_time_limit: [], operator_offline: [], over_capacity: [] } };
      shares.set(operatorId, share);
    }
    return share;
  };
  for (const move of moves) {
    if (move.toOperatorId) shareOf(move.toOperatorId).received.push(move);
    shareOf(move.fromOperatorId).lost[move.reason].push(move);
  }
  return shares;
}

/**
 * The notice texts one operator gets about a batch of moves, in their language: "N clients were
 * passed to you: …" and one "N clients were passed on because …" per reason, at most
 * MAX_NAMES names each ("and 3 more"). An empty list when the operator is on neither side.
 */
function reassignmentNotices(share: OperatorShare | undefined, locale: Locale): string[] {
  if (!share) return [];
  const t = translatorFor(locale);
  const list = (group: readonly AppliedMove[]) => {
    const names = group.slice(0, MAX_NAMES).map((m) => m.displayName);
    const more = group.length - names.length;
    return more > 0 ? t('listMore', { names: names.join(', '), count: more }) : names.join(', ');
  };
  const texts: string[] = [];
  if (share.received.length > 0) {
    texts.push(t('received', { count: share.received.length, names: list(share.received) }));
  }
  for (const reason of LOST_REASONS) {
    const lost = share.lost[reason];
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
  const shares = sharesOf(moves);
  const items: OutboxItem[] = [];
  for (const person of people) {
    if (!person.telegramUserId) continue;
    const locale = isLocale(person.locale) ? person.locale : defaultLocale;
    for (const text of reassignmentNotices(shares.get(person.id), locale)) {
      items.push({
        kind: 'bot_call',
        payload: { method: 'sendMessage', payload: { chat_id: person.telegramUserId, text } },
      });
    }
  }
  await recordOutbox(tx, items);
  return items.length;
}
