'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import {
  loadArchivedChatPageAction,
  loadChatMessagesAction,
  loadChatPageAction,
  type ChatPage,
} from '@/app/(dashboard)/clients/[id]/actions';
import type { MessageDto } from '@/lib/messages/message-dto';
import { mergeMessages } from './merge-messages';

/** Events arriving together (a burst, an album) are loaded in one request after this pause. */
const BATCH_MS = 60;

export type ChatMessages = {
  messages: MessageDto[];
  hasOlder: boolean;
  loadingOlder: boolean;
  error: string | null;
  loadOlder: () => void;
  /** The oldest hot message is shown and the client has archived months not loaded yet. */
  hasArchived: boolean;
  loadingArchived: boolean;
  /** Prepends the next archived month (read-only messages read back from the file storage). */
  loadArchived: () => void;
  /** Loads these messages (named by live events or by an action's answer) and merges them in. */
  refresh: (messageIds: string[]) => void;
  /** Reloads the newest page after a reconnection (events may have been missed). */
  resync: () => void;
};

/**
 * The chat's message state: the newest page first (from the server render), older pages on
 * demand by cursor, and single messages merged in as live events name them. Each change touches
 * only the messages concerned; the page itself is never re-rendered on the server.
 */
export function useChatMessages(clientId: string, initial: ChatPage): ChatMessages {
  const [messages, setMessages] = useState(initial.messages);
  const [olderCursor, setOlderCursor] = useState(initial.olderCursor);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The next archived month to load: '' for the newest, a month for the one before it, null: none.
  const [archiveCursor, setArchiveCursor] = useState<string | null>(initial.hasArchive ? '' : null);
  const [loadingArchived, setLoadingArchived] = useState(false);
  const state = useRef({ messages, olderCursor, loadingOlder, archiveCursor, loadingArchived });
  useEffect(() => {
    state.current = { messages, olderCursor, loadingOlder, archiveCursor, loadingArchived };
  });
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const merge = useCallback((incoming: MessageDto[]) => {
    const { messages: current, olderCursor: cursor } = state.current;
    const merged = mergeMessages(current, incoming, cursor !== null);
    state.current.messages = merged;
    setMessages(merged);
  }, []);

  const flush = useCallback(async () => {
    timer.current = null;
    // Ids named while a request is out wait for the next round of this loop.
    while (pending.current.size > 0) {
      const ids = [...pending.current].slice(0, 100);
      for (const id of ids) pending.current.delete(id);
      const result = await loadChatMessagesAction(clientId, ids);
      if (result.ok) merge(result.data);
      else setError(result.message);
    }
  }, [clientId, merge]);

  const refresh = useCallback(
    (messageIds: string[]) => {
      for (const id of messageIds) pending.current.add(id);
      timer.current ??= setTimeout(() => void flush(), BATCH_MS);
    },
    [flush],
  );

  const loadOlder = useCallback(() => {
    const { olderCursor: cursor, loadingOlder: busy } = state.current;
    if (!cursor || busy) return;
    state.current.loadingOlder = true;
    setLoadingOlder(true);
    void loadChatPageAction(clientId, cursor).then((result) => {
      state.current.loadingOlder = false;
      setLoadingOlder(false);
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setError(null);
      const known = new Set(state.current.messages.map((m) => m.id));
      const older = result.data.messages.filter((m) => !known.has(m.id));
      const next = [...older, ...state.current.messages];
      state.current.messages = next;
      state.current.olderCursor = result.data.olderCursor;
      setMessages(next);
      setOlderCursor(result.data.olderCursor);
      if (result.data.hasArchive) setArchiveCursor((current) => current ?? '');
    });
  }, [clientId]);

  const loadArchived = useCallback(() => {
    const { archiveCursor: cursor, loadingArchived: busy } = state.current;
    if (cursor === null || busy) return;
    state.current.loadingArchived = true;
    setLoadingArchived(true);
    void loadArchivedChatPageAction(clientId, cursor === '' ? undefined : cursor).then((result) => {
      state.current.loadingArchived = false;
      setLoadingArchived(false);
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setError(null);
      const known = new Set(state.current.messages.map((m) => m.id));
      const next = [...result.data.messages.filter((m) => !known.has(m.id)), ...state.current.messages];
      state.current.messages = next;
      state.current.archiveCursor = result.data.olderCursor;
      setMessages(next);
      setArchiveCursor(result.data.olderCursor);
    });
  }, [clientId]);

  const resync = useCallback(() => {
    void loadChatPageAction(clientId).then((result) => {
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setError(null);
      const page = result.data;
      const known = new Set(state.current.messages.map((m) => m.id));
      const overlaps = page.messages.some((m) => known.has(m.id));
      if (!overlaps && state.current.messages.length > 0 && page.olderCursor !== null) {
        // More arrived while disconnected than a page holds: start again from the newest.
        state.current.messages = page.messages;
        state.current.olderCursor = page.olderCursor;
        setMessages(page.messages);
        setOlderCursor(page.olderCursor);
        return;
      }
      merge(page.messages);
    });
  }, [clientId, merge]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return {
    messages,
    hasOlder: olderCursor !== null,
    loadingOlder,
    hasArchived: olderCursor === null && archiveCursor !== null,
    loadingArchived,
    loadArchived,
    error,
    loadOlder,
    refresh,
    resync,
  };
}
