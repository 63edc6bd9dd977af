import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { clients, messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';

export const addInternalNoteInput = z.object({
  clientId: z.uuid(),
  text: z
    .string()
    .trim()
    .min(1, 'Write the note first.')
    .max(20_000, 'That note is too long (20,000 characters at most).'),
});

/**
 * An internal note in a client's chat: a message with direction `internal`, written by the desk
 * for itself and never sent to Telegram (no delivery status, no Telegram message id, so no
 * sender or sweep ever picks it up). It changes nothing about the client — status, unread count,
 * first-response time and the last-message time stay as they are — so a note is not an answer.
 * Whoever may reply to the client may add one (a blocked client too: nothing is delivered). The
 * note joins the client's current episode, writes a `message.note_added` audit row (the note's
 * length, not its text) and tells live views, all in one transaction. Returns the note's id.
 * Errors: `not_found` (a client the actor may not see), `forbidden`; invalid input throws a ZodError.
 */
export async function addInternalNote({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof addInternalNoteInput>;
}): Promise<{ messageId: string; clientId: string }> {
  const staff = requireStaff(actor);
  const { clientId, text } = addInternalNoteInput.parse(input);
  return db.transaction(async (tx) => {
    const client = await getClientOrThrow({ db: tx, actor, clientId });
    if (!canReplyToClient(actor, client)) {
      throw new AppError('forbidden', 'You cannot add notes to this client.');
    }
    const [episode] = await tx
      .select({ conversationId: clients.currentConversationId })
      .from(clients)
      .where(eq(clients.id, clientId));
    const [note] = await tx
      .insert(messages)
      .values({
        clientId,
        conversationId: episode?.conversationId ?? null,
        direction: 'internal',
        senderKind: staff.kind === 'operator' ? 'operator' : 'system',
        operatorId: staff.kind === 'operator' ? staff.operatorId : null,
        contentKind: 'text',
        text,
        telegramChatId: client.chatId,
      })
      .returning({ id: messages.id });
    if (!note) throw new Error('note insert returned no row');
    await recordAudit(tx, actor, {
      action: 'message.note_added',
      targetType: 'client',
      targetId: clientId,
      details: { messageId: note.id, length: text.length },
    });
    await notifyDesk(tx, {
      type: 'message.created',
      clientId,
      messageId: note.id,
      departmentId: client.departmentId,
      operatorId: client.assignedOperatorId,
    });
    return { messageId: note.id, clientId };
  });
}
