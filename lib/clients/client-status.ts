import { sql, type SQL } from 'drizzle-orm';
import { clientStatus, type ClientStatus } from '@/db/schema';

/**
 * The client status set and its one transition function. Every write of a client's status goes
 * through `transition` — the named transitions in this folder call it, and the hot-path SQL
 * composes `statusAfterSql`, which is generated from it — so the rules live in one place.
 *
 * What each status means (one support episode of the client at a time):
 * - `new`: the episode is open and nobody on the desk has answered it yet.
 * - `in_progress`: the desk has answered; the client has not written since.
 * - `waiting`: the client wrote again after the desk's answer and waits for the next one.
 * - `resolved`: the episode ended; the client's next message opens a new one.
 * - `blocked`: the client blocked the bot (Telegram tells us, or a send is refused with 403);
 *   nothing can be sent. `statusBeforeBlock` keeps what to restore when they unblock.
 *
 * `new` and `waiting` are the clients who wait for an answer (response-time rules, queue views);
 * `new`, `in_progress` and `waiting` count towards an operator's load (migration 0003's triggers).
 */
export const CLIENT_STATUSES = clientStatus.enumValues;

/** Statuses that count towards an operator's load; the triggers of migration 0003 use the same set. */
export const ACTIVE_CLIENT_STATUSES = ['new', 'in_progress', 'waiting'] as const satisfies ClientStatus[];

/** Statuses of clients who wait for the desk's answer. */
export const AWAITING_ANSWER_STATUSES = ['new', 'waiting'] as const satisfies ClientStatus[];

export type ActiveClientStatus = (typeof ACTIVE_CLIENT_STATUSES)[number];

export function isActiveStatus(status: ClientStatus): status is ActiveClientStatus {
  return (ACTIVE_CLIENT_STATUSES as readonly ClientStatus[]).includes(status);
}

/** What happened to the client. */
export type ClientEvent =
  /** The client sent a message. */
  | { type: 'message_received' }
  /** Someone on the desk sent the client a reply. */
  | { type: 'answered' }
  | { type: 'resolved' }
  /** A resolved client's last episode is opened again. */
  | { type: 'reopened' }
  | { type: 'blocked' }
  | { type: 'unblocked' }
  /** A person moves the client to another status by hand (the kanban). */
  | { type: 'moved'; to: ClientStatus };

export type ClientStatusState = {
  status: ClientStatus;
  /** Set only while blocked. */
  statusBeforeBlock: ClientStatus | null;
  /** The current (or, when resolved, last) episode had an answer from the desk. */
  answered: boolean;
};

/**
 * What the transition does to the support episode:
 * `keep` nothing · `open` a new episode starts · `close` the episode is resolved ·
 * `reopen` the last, resolved episode is open again.
 */
export type EpisodeChange = 'keep' | 'open' | 'close' | 'reopen';

export type TransitionResult =
  | {
      ok: true;
      status: ClientStatus;
      statusBeforeBlock: ClientStatus | null;
      episode: EpisodeChange;
      /** Nothing changes: callers skip the write and the audit row. */
      unchanged: boolean;
    }
  | { ok: false; reason: string };

function to(
  from: ClientStatusState,
  status: ClientStatus,
  episode: EpisodeChange = 'keep',
  statusBeforeBlock: ClientStatus | null = null,
): TransitionResult {
  const unchanged =
    status === from.status && statusBeforeBlock === from.statusBeforeBlock && episode === 'keep';
  return { ok: true, status, statusBeforeBlock, episode, unchanged };
}

function refuse(reason: string): TransitionResult {
  return { ok: false, reason };
}

/**
 * The client's next status after `event`: pure, total over every status and event. A refused
 * transition returns `{ ok: false, reason }` with a sentence for the person who tried it.
 */
export function transition(state: ClientStatusState, event: ClientEvent): TransitionResult {
  const { status } = state;
  switch (event.type) {
    case 'message_received': {
      if (status === 'blocked') {
        // A person who blocked the bot cannot write to it: a message means they unblocked it.
        const restored = state.statusBeforeBlock ?? 'new';
        const next = transition(
          { status: restored, statusBeforeBlock: null, answered: state.answered },
          event,
        );
        return next.ok ? { ...next, unchanged: false } : next;
      }
      if (status === 'resolved') return to(state, 'new', 'open');
      if (status === 'in_progress') return to(state, 'waiting');
      return to(state, status);
    }
    case 'answered': {
      if (status === 'blocked')
        return refuse('This client has blocked the bot; nothing can be sent to them.');
      // A follow-up to a resolved client starts a new episode that is answered at once.
      if (status === 'resolved') return to(state, 'in_progress', 'open');
      return to(state, 'in_progress');
    }
    case 'resolved': {
      if (status === 'resolved') return to(state, 'resolved');
      if (status === 'blocked') {
        // The episode ends; the client stays blocked and comes back resolved when they unblock.
        const ended = state.statusBeforeBlock === 'resolved';
        return ended ? to(state, 'blocked', 'keep', 'resolved') : to(state, 'blocked', 'close', 'resolved');
      }
      return to(state, 'resolved', 'close');
    }
    case 'reopened': {
      if (status !== 'resolved') return refuse('Only a resolved client can be reopened.');
      return to(state, state.answered ? 'waiting' : 'new', 'reopen');
    }
    case 'blocked': {
      if (status === 'blocked') return to(state, 'blocked', 'keep', state.statusBeforeBlock);
      return to(state, 'blocked', 'keep', status);
    }
    case 'unblocked': {
      if (status !== 'blocked') return to(state, status, 'keep', state.statusBeforeBlock);
      return to(state, state.statusBeforeBlock ?? 'new');
    }
    case 'moved': {
      const target = event.to;
      if (target === status) return to(state, status, 'keep', state.statusBeforeBlock);
      if (status === 'blocked')
        return refuse('This client has blocked the bot; their status changes when they unblock it.');
      if (target === 'blocked') return refuse('Only the client can block the bot.');
      if (target === 'resolved') return transition(state, { type: 'resolved' });
      if (status === 'resolved') {
        const reopened = transition(state, { type: 'reopened' });
        if (!reopened.ok) return reopened;
        return to(state, target, 'reopen');
      }
      return to(state, target);
    }
  }
}

/**
 * `transition` for one event as a SQL expression over a clients row, for statements that must
 * change status without a round trip (the ingest hot path). Generated from `transition` for every
 * (status, status before block) pair, so SQL and TypeScript cannot disagree; transitions that
 * refuse, or that change the episode, leave the status as it is — callers whose SQL handles only
 * some statuses select those rows (see `statusesWhere`). `answered` is taken as false: only
 * events whose result does not depend on it may be compiled (checked).
 */
export function statusAfterSql(event: ClientEvent, columns: { status: SQL; statusBeforeBlock: SQL }): SQL {
  const branches: SQL[] = [];
  for (const status of CLIENT_STATUSES) {
    const befores: (ClientStatus | null)[] = status === 'blocked' ? [...CLIENT_STATUSES, null] : [null];
    for (const before of befores) {
      const results = [false, true].map((answered) =>
        transition({ status, statusBeforeBlock: before, answered }, event),
      );
      const [plain, answered] = results;
      if (!plain || !answered) continue;
      if (JSON.stringify(plain) !== JSON.stringify(answered))
        throw new Error(`statusAfterSql: ${event.type} from ${status} depends on the episode's answer`);
      if (!plain.ok || plain.episode !== 'keep') continue;
      const condition =
        status === 'blocked'
          ? before === null
            ? sql`${columns.status} = 'blocked' and ${columns.statusBeforeBlock} is null`
            : sql`${columns.status} = 'blocked' and ${columns.statusBeforeBlock} = ${sql.raw(`'${before}'`)}`
          : sql`${columns.status} = ${sql.raw(`'${status}'`)}`;
      branches.push(sql`when ${condition} then ${sql.raw(`'${plain.status}'::client_status`)}`);
    }
  }
  return sql`(case ${sql.join(branches, sql` `)} else ${columns.status} end)`;
}

/**
 * The statuses from which `event` applies in SQL without touching the episode: for the WHERE
 * clause of a statement built with `statusAfterSql` (other rows take the full path).
 */
export function statusesKeepingEpisode(event: ClientEvent): ClientStatus[] {
  return CLIENT_STATUSES.filter((status) =>
    [false, true].every((answered) => {
      const result = transition({ status, statusBeforeBlock: null, answered }, event);
      return result.ok && result.episode === 'keep' && status !== 'blocked';
    }),
  );
}

/** `<column> in (...)` for a fixed list of statuses (literals: the list is ours, not input). */
export function statusInSql(column: SQL, statuses: readonly ClientStatus[]): SQL {
  if (statuses.length === 0) return sql`false`;
  return sql`${column} in (${sql.raw(statuses.map((s) => `'${s}'`).join(', '))})`;
}
