import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db/client';
import { clients, departments, operators, operatorStatus } from '@/db/schema';
import type { TelegramActor } from '@/lib/auth/actor';
import { transferClient } from '@/lib/clients/transfer-client';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { setOperatorStatus } from '@/lib/operators/set-operator-status';
import { rateConversation, RATING_CALLBACK } from '@/lib/conversations/rating';
import { emptyEffects, type Effects } from '../effects';
import { pickText } from '../texts';
import { telegramUserSchema } from '../update-schema';
import { DEPARTMENT_CALLBACK } from './client-command';
import { STATUS_CALLBACK, statusKeyboard, statusText } from './operator-message';
import type { HandlerOutcome } from './types';
import { displayNameOf } from '../display-name';

export const callbackQuerySchema = z.looseObject({
  id: z.string(),
  from: telegramUserSchema,
  data: z.string().max(64).optional(),
  message: z
    .looseObject({ message_id: z.number().int(), chat: z.looseObject({ id: z.number().int() }) })
    .optional(),
});

type CallbackQuery = z.infer<typeof callbackQuerySchema>;

function answer(effects: Effects, query: CallbackQuery, text?: string) {
  effects.botCalls.push({
    method: 'answerCallbackQuery',
    payload: { callback_query_id: query.id, ...(text ? { text } : {}) },
  });
}

/** Inline-button presses: a client choosing a department or rating an episode, an operator changing status. */
export async function handleCallbackQuery(tx: Tx, query: CallbackQuery): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  const data = query.data ?? '';
  if (data.startsWith(DEPARTMENT_CALLBACK))
    return chooseDepartment(tx, query, data.slice(DEPARTMENT_CALLBACK.length), effects);
  if (data.startsWith(RATING_CALLBACK)) return rate(tx, query, data.slice(RATING_CALLBACK.length), effects);
  if (data.startsWith(STATUS_CALLBACK))
    return changeStatus(tx, query, data.slice(STATUS_CALLBACK.length), effects);
  answer(effects, query);
  return { status: 'ignored', reason: `unknown callback data "${data.slice(0, 20)}"`, effects };
}

async function chooseDepartment(
  tx: Tx,
  query: CallbackQuery,
  departmentId: string,
  effects: Effects,
): Promise<HandlerOutcome> {
  const [client] = await tx.select().from(clients).where(eq(clients.telegramUserId, query.from.id));
  const id = z.uuid().safeParse(departmentId);
  const [department] = id.success
    ? await tx
        .select()
        .from(departments)
        .where(and(eq(departments.id, id.data), eq(departments.isActive, true)))
    : [];
  if (!client || !department) {
    answer(effects, query, client ? 'This option is no longer available.' : undefined);
    return { status: 'ignored', reason: 'unknown client or department', effects };
  }
  const actor: TelegramActor = {
    kind: 'telegram',
    telegramUserId: query.from.id,
    name: displayNameOf(query.from),
  };
  // Someone who already wrote is routed in the new department at once (lib/clients).
  const moved = await transferClient({
    tx,
    actor,
    input: { clientId: client.id, departmentId: department.id },
  });
  if (moved.freedOperatorId) effects.drains.push(moved.freedOperatorId);
  const text = pickText(null, client.language, 'departmentChosen', { department: department.name });
  answer(effects, query, department.name);
  if (query.message) {
    effects.botCalls.push({
      method: 'editMessageText',
      payload: { chat_id: query.message.chat.id, message_id: query.message.message_id, text },
    });
  }
  return { status: 'handled', clientId: client.id, effects };
}

/** `rate:<conversation id>:<1–5>`: the client's rating of a resolved episode. */
async function rate(tx: Tx, query: CallbackQuery, value: string, effects: Effects): Promise<HandlerOutcome> {
  const parsed = z.tuple([z.uuid(), z.coerce.number().int().min(1).max(5)]).safeParse(value.split(':'));
  const actor: TelegramActor = {
    kind: 'telegram',
    telegramUserId: query.from.id,
    name: displayNameOf(query.from),
  };
  const rated = parsed.success
    ? await rateConversation(tx, actor, { conversationId: parsed.data[0], rating: parsed.data[1] })
    : null;
  if (!rated) {
    answer(effects, query, pickText(null, query.from.language_code, 'ratingClosed'));
    return { status: 'ignored', reason: 'rating not open to this user', effects };
  }
  answer(effects, query, rated.text);
  if (query.message) {
    effects.botCalls.push({
      method: 'editMessageText',
      payload: { chat_id: query.message.chat.id, message_id: query.message.message_id, text: rated.text },
    });
  }
  return { status: 'handled', clientId: rated.clientId, effects };
}

async function changeStatus(
  tx: Tx,
  query: CallbackQuery,
  value: string,
  effects: Effects,
): Promise<HandlerOutcome> {
  const status = z.enum(operatorStatus.enumValues).safeParse(value);
  const operatorId = await linkedOperatorId(tx, query.from.id);
  if (!status.success || !operatorId) {
    answer(effects, query, operatorId ? undefined : 'This Telegram account is not linked to an operator.');
    return { status: 'ignored', reason: 'not an operator or bad status', effects };
  }
  const actor = await getOperatorActor({ db: tx, operatorId });
  if (!actor) {
    answer(effects, query, 'Your operator account is disabled.');
    return { status: 'ignored', reason: 'inactive operator', effects };
  }
  const result = await setOperatorStatus({ db: tx, actor, input: { operatorId, status: status.data } });
  answer(effects, query, statusText(status.data, result.assignedFromQueue));
  if (query.message) {
    effects.botCalls.push({
      method: 'editMessageText',
      payload: {
        chat_id: query.message.chat.id,
        message_id: query.message.message_id,
        text: statusText(status.data, result.assignedFromQueue),
        reply_markup: statusKeyboard(status.data),
      },
    });
  }
  return { status: 'handled', effects };
}

export async function linkedOperatorId(tx: Tx, telegramUserId: number): Promise<string | null> {
  const [row] = await tx
    .select({ id: operators.id })
    .from(operators)
    .where(and(eq(operators.telegramUserId, telegramUserId), eq(operators.isActive, true)));
  return row?.id ?? null;
}
