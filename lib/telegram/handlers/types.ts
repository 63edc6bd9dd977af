import type { Effects } from '../effects';

export type HandlerOutcome = {
  status: 'stored' | 'handled' | 'ignored';
  reason?: string;
  clientId?: string;
  messageId?: string;
  effects: Effects;
};
