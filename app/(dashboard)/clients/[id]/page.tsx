import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { clientLabel } from '@/lib/clients/client-label';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { listClientMessages } from '@/lib/messages/list-client-messages';
import { ClientStatusBadge } from '@/components/client-status-badge';
import { MarkRead } from '@/components/mark-read';
import { MessageBubble } from '@/components/message-bubble';
import { ReplyForm } from '@/components/reply-form';
import { ResolveButton } from '@/components/resolve-button';

export const dynamic = 'force-dynamic';

/** The newest messages the chat opens with (scrolling back to older ones comes later). */
const CHAT_MESSAGES = 100;

export default async function ClientChatPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const data = await loadChat(actor, id.data);
  if (!data) notFound();
  const { client, messages } = data;
  return (
    <div className="flex h-[calc(100vh-6rem)] flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3 rounded-box bg-base-100 p-3">
        <Link href="/clients" className="btn btn-ghost btn-sm">
          ←
        </Link>
        <div>
          <h1 className="text-xl font-semibold" data-testid="client-name">
            <bdi>{clientLabel(client)}</bdi>
          </h1>
          <p className="text-xs opacity-60">
            {client.username ? `@${client.username} · ` : ''}Telegram id {client.telegramUserId}
            {client.language ? ` · ${client.language}` : ''}
          </p>
        </div>
        <ClientStatusBadge status={client.status} />
        <span className="badge badge-ghost">Department: {client.departmentName ?? 'none'}</span>
        <span className="badge badge-ghost">Operator: {client.assignedOperatorName ?? 'in queue'}</span>
        {client.status !== 'resolved' && client.status !== 'blocked' && (
          <ResolveButton clientId={client.id} />
        )}
      </div>
      {client.status === 'blocked' && (
        <div role="alert" className="alert alert-error alert-soft">
          This client has blocked the bot. Messages cannot be delivered until they unblock it.
        </div>
      )}
      <section
        aria-label="Messages"
        className="flex-1 overflow-y-auto rounded-box bg-base-100 p-4"
        data-testid="messages"
      >
        {messages.length === 0 && <p className="opacity-60">No messages yet.</p>}
        {messages.map((m) => (
          <MessageBubble key={m.id} message={m} />
        ))}
      </section>
      <ReplyForm clientId={client.id} disabled={client.status === 'blocked'} />
      <MarkRead clientId={client.id} latestMessageId={messages.at(-1)?.id ?? null} />
    </div>
  );
}

async function loadChat(actor: Actor, clientId: string) {
  const db = await getDb();
  try {
    const [client, page] = await Promise.all([
      getClientOrThrow({ db, actor, clientId }),
      listClientMessages({ db, actor, input: { clientId, limit: CHAT_MESSAGES } }),
    ]);
    // The page comes newest first; the chat reads top to bottom, oldest first.
    return { client, messages: page.results.toReversed() };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}
