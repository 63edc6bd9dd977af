import { describe, expect, it } from 'vitest';
import { snakeKeys } from './snake-keys';

describe('snakeKeys', () => {
  it('renames keys at every depth and leaves values and snake_case keys alone', () => {
    expect(
      snakeKeys({
        forwardOrigin: { type: 'user', name: 'Ann', userId: 7, date: 1 },
        replyQuote: 'camelCase stays in values',
        poll: { question: 'Q?', options: [{ text: 'a', voter_count: 2 }] },
        sticker: { setName: 'Cats', emoji: null },
      }),
    ).toEqual({
      forward_origin: { type: 'user', name: 'Ann', user_id: 7, date: 1 },
      reply_quote: 'camelCase stays in values',
      poll: { question: 'Q?', options: [{ text: 'a', voter_count: 2 }] },
      sticker: { set_name: 'Cats', emoji: null },
    });
  });
});
