'use client';

import { useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useRef, useState } from 'react';

/** A desk change event ({ type, clientId, messageId?, … }), or `resync` after a (re)connection. */
export type LiveEvent =
  | {
      type: 'message.created' | 'message.updated';
      clientId: string;
      messageId: string;
      departmentId: string | null;
      operatorId: string | null;
    }
  | { type: 'client.updated'; clientId: string; departmentId: string | null; operatorId: string | null }
  | { type: 'operator.updated'; operatorId: string }
  | { type: 'resync' };

type Listener = (event: LiveEvent) => void;
export type LiveStatus = 'connecting' | 'live' | 'polling';

const LiveContext = createContext<{ status: LiveStatus; listeners: Set<Listener> } | null>(null);

/** How long the stream may stay broken before pages fall back to polling. */
const GIVE_UP_MS = 30_000;
const POLL_MS = 30_000;

/**
 * The dashboard's one connection to /api/events (server-sent events). Pages subscribe with
 * useLiveEvents and update the part an event concerns; after a reconnection they get `resync`
 * and reload what they show. If the stream stays down, the page is refreshed every 30 s instead.
 */
export function LiveProvider({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [listeners] = useState(() => new Set<Listener>());

  useEffect(() => {
    let brokenSince: number | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    const source = new EventSource('/api/events');
    const emit = (event: LiveEvent) => {
      for (const listener of listeners) listener(event);
    };
    source.addEventListener('ready', () => {
      brokenSince = null;
      if (poll) clearInterval(poll);
      poll = null;
      setStatus('live');
      emit({ type: 'resync' });
    });
    source.addEventListener('desk', (message) => {
      try {
        emit(JSON.parse((message as MessageEvent<string>).data) as LiveEvent);
      } catch {
        // a malformed event is skipped; the next resync covers it
      }
    });
    source.onerror = () => {
      brokenSince ??= Date.now();
      if (Date.now() - brokenSince < GIVE_UP_MS) {
        setStatus('connecting');
        return;
      }
      setStatus('polling');
      poll ??= setInterval(() => {
        if (document.visibilityState === 'visible') router.refresh();
      }, POLL_MS);
    };
    return () => {
      source.close();
      if (poll) clearInterval(poll);
    };
  }, [listeners, router]);

  return <LiveContext.Provider value={{ status, listeners }}>{children}</LiveContext.Provider>;
}

/** Calls `listener` for every live event while the component is mounted. */
export function useLiveEvents(listener: Listener) {
  const context = useContext(LiveContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    if (!context) return;
    const relay: Listener = (event) => latest.current(event);
    context.listeners.add(relay);
    return () => {
      context.listeners.delete(relay);
    };
  }, [context]);
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext)?.status ?? 'connecting';
}
