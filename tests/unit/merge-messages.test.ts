import { describe, expect, it } from 'vitest';
import { mergeMessages } from '@/components/chat/merge-messages';
import type { MessageDto } from '@/lib/messages/message-dto';

function message(id: string, second: number, overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id,
    clientId: 'c',
    direction: 'inbound',
    senderKind: 'client',
    operatorId: null,
    operatorName: null,
    contentKind: 'text',
    text: id,
    entities: null,
    payload: null,
    telegramMessageId: null,
    replyTo: null,
    deliveryStatus: null,
    deliveryError: null,
    deliveredAt: null,
    editedAt: null,
    deletedAt: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString(),
    attachments: [],
    canEdit: false,
    canDelete: false,
    ...overrides,
  };
}

const ids = (list: MessageDto[]) => list.map((m) => m.id);

describe('mergeMessages', () => {
  const shown = [message('a', 1), message('b', 2), message('c', 3)];

  it('appends new arrivals in time order and reports them', () => {
    const { messages, appended } = mergeMessages(shown, [message('e', 5), message('d', 4)], true);
    expect(ids(messages)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids(appended)).toEqual(['e', 'd']);
  });

  it('replaces a shown message by its new version in place, without reporting it as new', () => {
    const sent = message('b', 2, { direction: 'outbound', deliveryStatus: 'sent' });
    const { messages, appended } = mergeMessages(shown, [sent], true);
    expect(ids(messages)).toEqual(['a', 'b', 'c']);
    expect(messages[1]?.deliveryStatus).toBe('sent');
    expect(appended).toEqual([]);
  });

  it('leaves out a message older than the oldest shown while older history is still to load', () => {
    expect(ids(mergeMessages(shown, [message('z', 0)], true).messages)).toEqual(['a', 'b', 'c']);
    // With the whole history shown, it takes its place at the top, and it is not a new arrival.
    const all = mergeMessages(shown, [message('z', 0)], false);
    expect(ids(all.messages)).toEqual(['z', 'a', 'b', 'c']);
    expect(all.appended).toEqual([]);
  });

  it('keeps the loaded order for messages of the same millisecond', () => {
    const { messages } = mergeMessages(shown, [message('y', 3), message('x', 3)], true);
    expect(ids(messages)).toEqual(['a', 'b', 'c', 'y', 'x']);
  });

  it('fills an empty chat', () => {
    const { messages, appended } = mergeMessages([], [message('a', 1)], false);
    expect(ids(messages)).toEqual(['a']);
    expect(ids(appended)).toEqual(['a']);
  });
});
