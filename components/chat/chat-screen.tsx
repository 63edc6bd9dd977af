'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState, useTransition } from 'react';
import { useHotkeys } from 'react-hotkeys-hook';
import { resolveClientAction } from '@/app/(dashboard)/actions';
import {
  adjacentClientAction,
  loadChatClientAction,
  type ChatPage,
} from '@/app/(dashboard)/clients/[id]/actions';
import type { CannedResponseDto } from '@/lib/canned-responses/list-canned-responses';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import type { ConversationDto } from '@/lib/conversations/get-conversation-or-throw';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import { useLiveEvents, useLiveStatus } from '../live/live-provider';
import { MarkRead } from '../mark-read';
import { ChatHeader, type ChatViewer } from './chat-header';
import { ChatRefreshContext } from './chat-refresh';
import { ClientPanel } from './client-panel';
import { Composer, type ComposerMode } from './composer';
import { MessageList } from './message-list';
import { ShortcutsHelp } from './shortcuts-help';
import { useChatMessages } from './use-chat-messages';

/** Client changes often come in bursts (a message, then the status it caused): reload once. */
const CLIENT_RELOAD_MS = 150;
/** With the event stream down for good (LiveProvider polls), the chat reloads itself this often. */
const POLL_MS = 30_000;

/**
 * The chat of one client, kept live without re-rendering the page: live events for this client
 * reload just the messages they name and the header and panel; a reconnection reloads the
 * newest page (so does a timer while the stream is down and the dashboard polls). Keyboard:
 * Ctrl/Cmd+Enter sends, Alt+↓/↑ the next/previous open conversation, Alt+R resolves, Alt+N
 * switches reply/note, `?` shows the list.
 */
export function ChatScreen({
  initialClient,
  initialEpisodes,
  initialPage,
  viewer,
  operators,
  departments,
  cannedResponses,
}: {
  initialClient: ClientDto;
  initialEpisodes: ConversationDto[];
  initialPage: ChatPage;
  viewer: ChatViewer;
  operators: OperatorOption[];
  departments: DepartmentOption[];
  /** Every canned response the viewer may use; the composer offers the client's department's. */
  cannedResponses: CannedResponseDto[];
}) {
  const t = useTranslations('chat');
  const router = useRouter();
  const clientId = initialClient.id;
  const [client, setClient] = useState(initialClient);
  const [episodes, setEpisodes] = useState(initialEpisodes);
  const [notice, setNotice] = useState<string | null>(null);
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [panelOpen, setPanelOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [followSerial, setFollowSerial] = useState(0);
  const [resolving, startResolve] = useTransition();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const chat = useChatMessages(clientId, initialPage);
  const clientTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reloadClient = useCallback(async () => {
    const result = await loadChatClientAction(clientId);
    if (result.ok) {
      setClient(result.data.client);
      setEpisodes(result.data.episodes);
    } else {
      setNotice(t('noAccess', { reason: result.message }));
    }
  }, [clientId, t]);

  const scheduleClientReload = useCallback(() => {
    if (clientTimer.current) clearTimeout(clientTimer.current);
    clientTimer.current = setTimeout(() => void reloadClient(), CLIENT_RELOAD_MS);
  }, [reloadClient]);
  useEffect(
    () => () => {
      if (clientTimer.current) clearTimeout(clientTimer.current);
    },
    [],
  );

  useLiveEvents((event) => {
    if (event.type === 'resync') {
      chat.resync();
      scheduleClientReload();
      return;
    }
    if (event.type === 'operator.updated' || event.clientId !== clientId) return;
    if (event.type === 'message.created' || event.type === 'message.updated') chat.refresh([event.messageId]);
    scheduleClientReload();
  });

  // The page's own refresh does not reach this state (it is the chat's, not the server's).
  const live = useLiveStatus();
  const { resync } = chat;
  useEffect(() => {
    if (live !== 'polling') return;
    const id = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      resync();
      void reloadClient();
    }, POLL_MS);
    return () => clearInterval(id);
  }, [live, resync, reloadClient]);

  const resolve = () =>
    startResolve(async () => {
      const result = await resolveClientAction(clientId);
      setNotice(result.ok ? null : t('actions.refused', { reason: result.message }));
      await reloadClient();
    });

  const go = async (direction: 'next' | 'previous') => {
    const result = await adjacentClientAction(clientId, direction);
    if (!result.ok) setNotice(result.message);
    else if (!result.data) setNotice(t('actions.noNext'));
    else router.push(`/clients/${result.data.clientId}`);
  };

  const anywhere = { enableOnFormTags: true, preventDefault: true } as const;
  useHotkeys('alt+down', () => void go('next'), anywhere);
  useHotkeys('alt+up', () => void go('previous'), anywhere);
  useHotkeys(
    'alt+r',
    () => {
      if (['new', 'in_progress', 'waiting'].includes(client.status)) resolve();
    },
    anywhere,
  );
  useHotkeys('alt+n', () => setMode((m) => (m === 'note' ? 'reply' : 'note')), anywhere);
  // The produced character, not a key position: `?` sits elsewhere on other keyboard layouts.
  useHotkeys('?', () => setHelpOpen(true), { useKey: true });

  const latest = chat.messages.at(-1)?.id ?? null;
  return (
    <ChatRefreshContext.Provider value={chat.refresh}>
      <div className="flex h-[calc(100dvh-5rem)] gap-3 sm:h-[calc(100dvh-6rem)]">
        <div className="flex min-w-0 flex-1 flex-col gap-2 sm:gap-3">
          <ChatHeader
            client={client}
            viewer={viewer}
            operators={operators}
            departments={departments}
            onChanged={reloadClient}
            onResolve={resolve}
            resolving={resolving}
            onShowPanel={() => setPanelOpen(true)}
            onShowHelp={() => setHelpOpen(true)}
            notice={notice}
          />
          {client.status === 'blocked' && (
            <div role="alert" className="alert alert-error py-2 text-sm">
              {t('blocked')}
            </div>
          )}
          {chat.error && (
            <div role="alert" className="alert alert-warning alert-soft py-2 text-sm">
              {t('loadFailed', { reason: chat.error })}
            </div>
          )}
          <MessageList
            messages={chat.messages}
            hasOlder={chat.hasOlder}
            loadingOlder={chat.loadingOlder}
            onLoadOlder={chat.loadOlder}
            archive={{ has: chat.hasArchived, loading: chat.loadingArchived, load: chat.loadArchived }}
            followSerial={followSerial}
          />
          <Composer
            clientId={clientId}
            blocked={client.status === 'blocked'}
            mode={mode}
            onModeChange={setMode}
            textarea={textarea}
            cannedResponses={cannedResponses.filter((r) => r.departmentId === client.departmentId)}
            onSent={(messageId) => {
              chat.refresh([messageId]);
              setFollowSerial((n) => n + 1);
              scheduleClientReload();
            }}
          />
        </div>
        <aside
          aria-label={t('panel.title')}
          className={`${
            panelOpen ? 'fixed inset-0 z-40 block overflow-y-auto bg-base-100 p-4' : 'hidden'
          } xl:static xl:block xl:w-80 xl:shrink-0 xl:overflow-y-auto xl:rounded-box xl:bg-base-100 xl:p-3`}
        >
          {panelOpen && (
            <button type="button" className="btn btn-sm mb-3 xl:hidden" onClick={() => setPanelOpen(false)}>
              {t('panel.close')}
            </button>
          )}
          <ClientPanel client={client} episodes={episodes} />
        </aside>
      </div>
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <MarkRead clientId={clientId} latestMessageId={latest} />
    </ChatRefreshContext.Provider>
  );
}
