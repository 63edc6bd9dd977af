// How archive-old-messages cuts its work into steps: at most so many clients and about so many
// messages a step, a client never split (its messages are chosen and grouped as a whole).
import { describe, expect, it } from 'vitest';
import { archiveSteps } from '@/lib/jobs/archive-old-messages';

const clients = (...counts: number[]) => counts.map((messages, i) => ({ client_id: `c${i}`, messages }));

describe('archiveSteps', () => {
  it('takes clients until the next would pass the message budget', () => {
    expect(archiveSteps(clients(10, 10, 10, 5, 20), 100, 25)).toEqual([['c0', 'c1'], ['c2', 'c3'], ['c4']]);
  });

  it('gives a client larger than the budget a step of its own', () => {
    expect(archiveSteps(clients(3, 100, 3), 100, 25)).toEqual([['c0'], ['c1'], ['c2']]);
  });

  it('stops at the client limit however few their messages', () => {
    expect(archiveSteps(clients(1, 1, 1, 1, 1), 2, 1000)).toEqual([['c0', 'c1'], ['c2', 'c3'], ['c4']]);
  });

  it('has no step for no clients', () => {
    expect(archiveSteps([], 200, 20_000)).toEqual([]);
  });
});
