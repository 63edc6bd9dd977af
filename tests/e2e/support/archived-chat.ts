// The client with an old conversation that tests/e2e/seed-archived-chat.ts stores before the e2e
// app starts, for tests/e2e/archived-history.spec.ts: what was written, by whom, and when.

/** { clientId, displayName, months: { earlier, later } } of the client, written by seed-archived-chat.ts. */
export const ARCHIVED_CHAT_FILE = './data/e2e-archived-chat.json';

export type ArchivedChatMessage = {
  direction: 'inbound' | 'outbound' | 'internal';
  text: string;
  /** The text before the operator edited it (the message then shows "edited"). */
  editedFrom?: string;
  /** A stored file sent with the message. */
  file?: { name: string; mimeType: string; body: string };
};

/**
 * The old conversation (resolved more than a year ago), oldest first, over two UTC months, and
 * the short recent one that stays in the database. The messages are a few minutes apart within
 * each month.
 */
export const ARCHIVED_CHAT: Record<'earlierMonth' | 'laterMonth' | 'recent', readonly ArchivedChatMessage[]> =
  {
    earlierMonth: [
      { direction: 'inbound', text: 'My card was charged twice for the last invoice' },
      {
        direction: 'outbound',
        text: 'Sorry about that: the second charge is refunded today',
        editedFrom: 'We will look into the double charge',
      },
    ],
    laterMonth: [
      {
        direction: 'inbound',
        text: 'The refund has not arrived, here is my bank statement',
        file: { name: 'bank-statement.pdf', mimeType: 'application/pdf', body: '%PDF-1.4 e2e statement' },
      },
      { direction: 'internal', text: 'Refund left us on the 2nd; banks take up to ten days' },
      { direction: 'outbound', text: 'The refund left us on the 2nd, your bank shows it within ten days' },
    ],
    recent: [
      { direction: 'inbound', text: 'Hello again, a question about my new plan' },
      { direction: 'outbound', text: 'Of course, which plan are you on now?' },
    ],
  };

/** The seeded operator who wrote the desk's messages and notes. */
export const ARCHIVED_CHAT_OPERATOR = { email: 'olga@example.com', name: 'Olga' } as const;
