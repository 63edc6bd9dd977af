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
    deliveryErrorCode: null,
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

  it('appends new arrivals in time order', () => {
    expect(ids(mergeMessages(shown, [message('e', 5), message('d', 4)], true))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('replaces a shown message by its new version in place', () => {
    const sent = message('b', 2, { direction: 'outbound', deliveryStatus: 'sent' });
    const messages = mergeMessages(shown, [sent], true);
    expect(ids(messages)).toEqual(['a', 'b', 'c']);
    expect(messages[1]?.deliveryStatus).toBe('sent');
  });

  it('leaves out a message older than the oldest shown while older history is still to load', () => {
    expect(ids(mergeMessages(shown, [message('z', 0)], true))).toEqual(['a', 'b', 'c']);
    // With the whole history shown, it takes its place at the top.
    expect(ids(mergeMessages(shown, [message('z', 0)], false))).toEqual(['z', 'a', 'b', 'c']);
  });

  it('keeps the loaded order for messages of the same millisecond', () => {
    expect(ids(mergeMessages(shown, [message('y', 3), message('x', 3)], true))).toEqual([
      'a',
      'b',
      'c',
      'y',
      'x',
    ]);
  });

  it('fills an empty chat', () => {
    expect(ids(mergeMessages([], [message('a', 1)], false))).toEqual(['a']);
  });
});
