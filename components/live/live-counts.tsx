'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { getClientLabelAction, getNavCountsAction } from '@/app/(dashboard)/actions';
import type { ClientCounts } from '@/lib/clients/count-clients';
import { useLiveEvents } from './live-provider';

const CountsContext = createContext<ClientCounts>({ mine: 0, queue: 0, unread: 0 });

/** The navigation counts (my clients, queue, unread), kept current by LiveCounts. */
export function useNavCounts(): ClientCounts {
  return useContext(CountsContext);
}

/**
 * Keeps the tab title's unread total and the navigation counts current from live events, and
 * shows a browser notification (when allowed, and the tab is not in front) for a new message of
 * one of my clients.
 */
export function LiveCounts({
  operatorId,
  initial,
  title,
  children,
}: {
  operatorId: string;
  initial: ClientCounts;
  title: string;
  children: React.ReactNode;
}) {
  const t = useTranslations('live');
  const router = useRouter();
  const [counts, setCounts] = useState(initial);
  const refreshing = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    document.title = counts.unread > 0 ? t('titleUnread', { count: counts.unread, title }) : title;
  }, [counts.unread, title, t]);

  useLiveEvents((event) => {
    if (event.type === 'operator.updated') return;
    // Many events arrive together (a burst of messages): count once for all of them.
    if (refreshing.current) clearTimeout(refreshing.current);
    refreshing.current = setTimeout(() => {
      void getNavCountsAction().then((result) => result.ok && setCounts(result.data));
    }, 300);
    if (
      event.type === 'message.created' &&
      event.operatorId === operatorId &&
      typeof Notification !== 'undefined' &&
      Notification.permission === 'granted' &&
      document.visibilityState !== 'visible'
    ) {
      void getClientLabelAction(event.clientId).then((result) => {
        if (!result.ok) return;
        const notification = new Notification(t('newMessage', { name: result.data.label }), {
          tag: event.clientId,
        });
        notification.onclick = () => {
          window.focus();
          router.push(`/clients/${event.clientId}`);
        };
      });
    }
  });

  return <CountsContext.Provider value={counts}>{children}</CountsContext.Provider>;
}
