import { describe, expect, it } from 'vitest';
import { cannedQuery, insertCanned, matchCanned } from '@/components/chat/canned-suggestions';

describe('canned responses in the composer', () => {
  it('finds the /word right before the caret, at the start or after a space only', () => {
    expect(cannedQuery('/', 1)).toEqual({ start: 0, query: '' });
    expect(cannedQuery('Hi! /ship', 9)).toEqual({ start: 4, query: 'ship' });
    expect(cannedQuery('Hi!\n/ref', 8)).toEqual({ start: 4, query: 'ref' });
    // A path or a URL is not a command; nor is a word already finished with a space.
    expect(cannedQuery('see a/b', 7)).toBeNull();
    expect(cannedQuery('https://x.org/ship', 18)).toBeNull();
    expect(cannedQuery('/ship now', 9)).toBeNull();
    // Only what is before the caret counts.
    expect(cannedQuery('/ship and more', 5)).toEqual({ start: 0, query: 'ship' });
  });

  it('offers titles that start with the query first, then those containing it anywhere', () => {
    const responses = [
      { id: '1', title: 'refund', body: 'Your refund is on its way.' },
      { id: '2', title: 'shipping', body: 'We ship within 2 days.' },
      { id: '3', title: 'Express', body: 'Express shipping costs 5 €.' },
    ];
    expect(matchCanned(responses, 'SHIP').map((r) => r.id)).toEqual(['2', '3']);
    expect(matchCanned(responses, '').map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(matchCanned(responses, 'zzz')).toEqual([]);
  });

  it('replaces the /word with the text and puts the caret after it', () => {
    const text = 'Hello! /ship thanks';
    expect(insertCanned(text, 7, 12, 'We ship within 2 days.')).toEqual({
      text: 'Hello! We ship within 2 days. thanks',
      caret: 29,
    });
  });
});
