import { describe, expect, it } from 'vitest';
import type { ClientStatus } from '@/db/schema';
import {
  CLIENT_STATUSES,
  statusesKeepingEpisode,
  transition,
  type ClientEvent,
  type ClientStatusState,
} from './client-status';

const state = (status: ClientStatus, statusBeforeBlock: ClientStatus | null = null, answered = false) =>
  ({ status, statusBeforeBlock, answered }) satisfies ClientStatusState;

function next(from: ClientStatusState, event: ClientEvent) {
  const result = transition(from, event);
  return result.ok
    ? `${result.status}${result.statusBeforeBlock ? `<${result.statusBeforeBlock}` : ''}/${result.episode}`
    : 'refused';
}

describe('client status transitions', () => {
  it.each([
    // [from, event, expected status/episode]
    ['new', 'message_received', 'new/keep'],
    ['in_progress', 'message_received', 'waiting/keep'],
    ['waiting', 'message_received', 'waiting/keep'],
    ['resolved', 'message_received', 'new/open'],
    ['new', 'answered', 'in_progress/keep'],
    ['waiting', 'answered', 'in_progress/keep'],
    ['in_progress', 'answered', 'in_progress/keep'],
    ['resolved', 'answered', 'in_progress/open'],
    ['blocked', 'answered', 'refused'],
    ['new', 'resolved', 'resolved/close'],
    ['waiting', 'resolved', 'resolved/close'],
    ['resolved', 'resolved', 'resolved/keep'],
    ['new', 'reopened', 'refused'],
    ['in_progress', 'blocked', 'blocked<in_progress/keep'],
    ['resolved', 'blocked', 'blocked<resolved/keep'],
  ] as const)('%s + %s → %s', (from, event, expected) => {
    expect(next(state(from), { type: event })).toBe(expected);
  });

  it('unblocking restores the status before the block, whichever way it was detected', () => {
    for (const before of CLIENT_STATUSES.filter((s) => s !== 'blocked')) {
      const blocked = transition(state(before), { type: 'blocked' });
      expect(blocked).toMatchObject({ ok: true, status: 'blocked', statusBeforeBlock: before });
      if (!blocked.ok) continue;
      const back = transition(state('blocked', blocked.statusBeforeBlock), { type: 'unblocked' });
      expect(back).toMatchObject({ ok: true, status: before, statusBeforeBlock: null });
    }
    // A block seen twice (my_chat_member, then a 403) keeps the first status.
    expect(transition(state('blocked', 'in_progress'), { type: 'blocked' })).toMatchObject({
      status: 'blocked',
      statusBeforeBlock: 'in_progress',
      unchanged: true,
    });
    // Blocked with nothing remembered (rows from before this was kept) comes back as new.
    expect(transition(state('blocked', null), { type: 'unblocked' })).toMatchObject({ status: 'new' });
  });

  it('a blocked client who writes has unblocked the bot: the restored status takes the message', () => {
    expect(next(state('blocked', 'in_progress'), { type: 'message_received' })).toBe('waiting/keep');
    expect(next(state('blocked', 'resolved'), { type: 'message_received' })).toBe('new/open');
  });

  it('resolving a blocked client ends the episode; they come back resolved when they unblock', () => {
    expect(next(state('blocked', 'waiting'), { type: 'resolved' })).toBe('blocked<resolved/close');
    expect(next(state('blocked', 'resolved'), { type: 'resolved' })).toBe('blocked<resolved/keep');
  });

  it('reopening goes back to waiting when the desk had answered, to new otherwise', () => {
    expect(next(state('resolved', null, true), { type: 'reopened' })).toBe('waiting/reopen');
    expect(next(state('resolved', null, false), { type: 'reopened' })).toBe('new/reopen');
  });

  it('a move by hand follows the same rules and refuses what only the client can do', () => {
    expect(next(state('new'), { type: 'moved', to: 'waiting' })).toBe('waiting/keep');
    expect(next(state('waiting'), { type: 'moved', to: 'resolved' })).toBe('resolved/close');
    expect(next(state('resolved'), { type: 'moved', to: 'in_progress' })).toBe('in_progress/reopen');
    expect(next(state('new'), { type: 'moved', to: 'blocked' })).toBe('refused');
    expect(next(state('blocked', 'new'), { type: 'moved', to: 'new' })).toBe('refused');
  });

  it('is total: every status and event gives a result', () => {
    const events: ClientEvent[] = [
      { type: 'message_received' },
      { type: 'answered' },
      { type: 'resolved' },
      { type: 'reopened' },
      { type: 'blocked' },
      { type: 'unblocked' },
      ...CLIENT_STATUSES.map((to) => ({ type: 'moved' as const, to })),
    ];
    for (const status of CLIENT_STATUSES)
      for (const before of [null, ...CLIENT_STATUSES])
        for (const event of events) expect(transition(state(status, before), event)).toHaveProperty('ok');
  });

  it('the one-statement path takes messages of new, in-progress and waiting clients only', () => {
    expect(statusesKeepingEpisode({ type: 'message_received' })).toEqual(['new', 'in_progress', 'waiting']);
  });
});
