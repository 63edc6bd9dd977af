'use client';

import { createContext, useContext } from 'react';

type Refresh = (messageIds: string[]) => void;

/** Reloads the named messages of the open chat (after an edit, delete or retry in a bubble). */
export const ChatRefreshContext = createContext<Refresh>(() => {});

export function useChatRefresh(): Refresh {
  return useContext(ChatRefreshContext);
}
