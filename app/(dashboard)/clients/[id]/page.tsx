import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { listCannedResponses } from '@/lib/canned-responses/list-canned-responses';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { listOperatorOptions } from '@/lib/operators/list-operator-options';
import { ChatScreen } from '@/components/chat/chat-screen';
import { loadChatClientAction, loadChatPageAction } from './actions';

export const dynamic = 'force-dynamic';

/**
 * A client's chat: the newest page of messages (older ones load as the operator scrolls up), the
 * header with the client's transitions, the composer and the client panel. Everything after the
 * first render comes from live events and the chat's own actions, never a re-render of this page.
 */
export default async function ClientChatPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  const [client, page, operators, departments, cannedResponses] = await Promise.all([
    loadChatClientAction(id.data),
    loadChatPageAction(id.data),
    listOperatorOptions({ db, actor }),
    listDepartmentOptions({ db, actor }),
    listCannedResponses({ db, actor }),
  ]);
  if (!client.ok || !page.ok) {
    const failed = !client.ok ? client : !page.ok ? page : null;
    if (failed?.code === 'not_found') notFound();
    throw new Error(failed?.message ?? 'The chat could not be loaded.');
  }
  return (
    <ChatScreen
      // A new client is a new chat: no state (draft, scroll, messages) carries over.
      key={id.data}
      initialClient={client.data.client}
      initialEpisodes={client.data.episodes}
      initialPage={page.data}
      viewer={{ operatorId: actor.operatorId, role: actor.role }}
      operators={operators}
      departments={departments}
      cannedResponses={cannedResponses}
    />
  );
}
