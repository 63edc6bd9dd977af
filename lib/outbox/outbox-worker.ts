import { eq, inArray, sql } from 'drizzle-orm';
import { inngest } from '@/inngest/client';
import { ATTACHMENT_DOWNLOAD_REQUESTED, MESSAGE_QUEUED, OPERATOR_NOTIFY_REQUESTED } from '@/inngest/events';
import { getDb, type Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { outbox } from '@/db/schema';
import { runInBackground } from '@/lib/background';
import { isInngestConfigured } from '@/lib/env';
import { giveUpOutboxItem, OutboxRetryError, runOutboxItem, type OutboxRow } from './run-outbox-item';

/** Rows claimed per round. */
const BATCH = 100;
/**
 * How long a claim holds a row (ms). Longer than any one piece of work (a send's calls time out
 * well before; see deliverMessage); a row still locked past it belonged to a dead process.
 */
const LEASE_MS = 10 * 60_000;
/** Attempts before a row gives up (giveUpOutboxItem): with the back-off below, about 20 minutes. */
export const OUTBOX_MAX_ATTEMPTS = 8;
/** How often the sweep looks for rows left behind (ms): a crash, a lost kick, a retry now due. */
export const OUTBOX_SWEEP_MS = 10_000;

/** Back-off before attempt n+1 when Telegram gave no retry_after (ms): 1 s, 2 s, 4 s… up to 5 min. */
export function outboxBackoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * The worker's state, one per process: Next.js bundles instrumentation, route handlers and
 * server actions separately, and module-level state would make one worker per bundle.
 */
type WorkerState = {
  draining: Promise<void> | null;
  again: boolean;
  sweeper?: NodeJS.Timeout;
};
const g = globalThis as typeof globalThis & { __deskOutbox?: WorkerState };
const state: WorkerState = (g.__deskOutbox ??= { draining: null, again: false });

/**
 * Claims the rows that are due, at most one per chat — the oldest not yet done, so a chat's work
 * runs in order even across app instances — and not held by a live claim. `skip locked`: two
 * workers never claim the same row. Each claim counts an attempt.
 */
async function claim(db: Db, limit: number): Promise<OutboxRow[]> {
  type Claimed = {
    id: string | number;
    kind: OutboxRow['kind'];
    payload: Record<string, unknown>;
    chat_id: string | number | null;
    attempts: number;
  };
  const result = await db.execute(sql`
    update outbox set locked_until = now() + make_interval(secs => ${LEASE_MS / 1000}), attempts = attempts + 1
    where id in (
      select o.id from outbox o
      where o.failed_at is null and o.available_at <= now()
        and (o.locked_until is null or o.locked_until < now())
        and (o.chat_id is null or not exists (
          select 1 from outbox e where e.chat_id = o.chat_id and e.id < o.id and e.failed_at is null))
      order by o.id
      limit ${limit}
      for update skip locked)
    returning id, kind, payload, chat_id, attempts`);
  return rowsOf<Claimed>(result)
    .map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      payload: r.payload,
      chatId: r.chat_id === null ? null : Number(r.chat_id),
      attempts: r.attempts,
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Runs one claimed row and settles it: done, later, or given up. Its Bot API calls keep
 * Telegram's limits where they are made (lib/telegram/send-pace.ts).
 */
async function work(db: Db, row: OutboxRow): Promise<void> {
  try {
    await runOutboxItem(db, row);
    await db.delete(outbox).where(eq(outbox.id, row.id));
  } catch (error) {
    const message = describeError(error);
    const permanent = error instanceof Error && error.name === 'ZodError';
    if (permanent || row.attempts >= OUTBOX_MAX_ATTEMPTS) {
      await db
        .update(outbox)
        .set({ failedAt: new Date(), lockedUntil: null, lastError: message.slice(0, 2000) })
        .where(eq(outbox.id, row.id));
      await giveUpOutboxItem(row, message);
      return;
    }
    const waitMs =
      error instanceof OutboxRetryError && error.retryAfterMs !== undefined
        ? error.retryAfterMs
        : outboxBackoffMs(row.attempts);
    if (!(error instanceof OutboxRetryError)) {
      console.warn(`outbox ${row.kind} ${row.id} failed (attempt ${row.attempts}), retrying:`, message);
    }
    await db
      .update(outbox)
      .set({
        availableAt: new Date(Date.now() + waitMs),
        lockedUntil: null,
        lastError: message.slice(0, 2000),
      })
      .where(eq(outbox.id, row.id));
    // Look again when it is due rather than at the next sweep (the sweep still covers a lost timer).
    setTimeout(kickOutbox, waitMs + 50).unref();
  }
}

/** An error's message with its cause's (drizzle wraps the driver's error as `cause`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** The Inngest event that carries a row's work, for the kinds whose Inngest function owns the flow control. */
function inngestEvent(row: OutboxRow): { name: string; data: Record<string, unknown> } | null {
  if (row.kind === 'send_message')
    return { name: MESSAGE_QUEUED, data: { ...row.payload, chatId: row.chatId } };
  if (row.kind === 'download_attachment') return { name: ATTACHMENT_DOWNLOAD_REQUESTED, data: row.payload };
  if (row.kind === 'notify_operator') return { name: OPERATOR_NOTIFY_REQUESTED, data: row.payload };
  return null;
}

/**
 * With Inngest configured, sends, downloads and operator notices are handed to their Inngest
 * functions (their throttle and per-chat concurrency keep Telegram's limits; Inngest keeps the
 * event durably), and the rows are deleted once Inngest accepted the events. If Inngest cannot
 * be reached the rows are put back for the next sweep: nothing is sent around the throttle.
 * Returns the rows this process runs itself (bot calls, queue drains, edits).
 */
async function handToInngest(db: Db, rows: OutboxRow[]): Promise<OutboxRow[]> {
  const handed = rows.filter((row) => inngestEvent(row) !== null);
  if (handed.length === 0) return rows;
  const ids = handed.map((row) => row.id);
  try {
    await inngest.send(
      handed.map((row) => inngestEvent(row) as { name: string; data: Record<string, unknown> }),
    );
    await db.delete(outbox).where(inArray(outbox.id, ids));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.warn(`outbox: Inngest unreachable, ${ids.length} rows wait for the next sweep:`, message);
    await db
      .update(outbox)
      .set({
        lockedUntil: null,
        attempts: sql`${outbox.attempts} - 1`,
        availableAt: new Date(Date.now() + OUTBOX_SWEEP_MS),
      })
      .where(inArray(outbox.id, ids));
  }
  return rows.filter((row) => inngestEvent(row) === null);
}

/** Runs a round's rows: each chat's in order (one per chat per round), chats side by side. */
async function runRound(db: Db, rows: OutboxRow[]): Promise<void> {
  const local = isInngestConfigured() ? await handToInngest(db, rows) : rows;
  await Promise.all(local.map((row) => work(db, row)));
}

async function drainLoop(getDatabase: () => Promise<Db>): Promise<void> {
  do {
    state.again = false;
    for (;;) {
      const db = await getDatabase(); // each round: tests and scripts may swap the database
      const rows = await claim(db, BATCH);
      if (rows.length === 0) break;
      await runRound(db, rows);
      // Let requests in between rounds: PGlite answers in microtasks, so a long drain would
      // otherwise hold the event loop until it ends.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } while (state.again);
}

/**
 * Runs every due outbox row now and resolves when none is left due (rows waiting for a retry
 * stay). One drain at a time per process: a call during a drain makes it look again before it
 * ends, and returns the same promise. Errors of a row never reject it (the row is retried);
 * a database error does.
 */
export function drainOutbox(getDatabase: () => Promise<Db> = getDb): Promise<void> {
  if (state.draining) {
    state.again = true;
    return state.draining;
  }
  state.draining = drainLoop(getDatabase).finally(() => {
    state.draining = null;
  });
  return state.draining;
}

/**
 * Tells the worker that work was committed (call it after the transaction that recorded the
 * work, never inside it). Returns at once; the drain runs in the background (lib/background),
 * so a request never waits for Telegram. Losing a kick loses nothing: the sweep finds the rows.
 */
export function kickOutbox(): void {
  runInBackground(() => drainOutbox(), 'outbox');
}

/**
 * Starts this process's outbox sweep: a drain one second after start (rows a crash left behind
 * since the last run) and then every OUTBOX_SWEEP_MS (retries now due, claims of dead
 * instances, kicks that never came). Unref'd: it never keeps the process alive.
 */
export function startOutboxWorker(getDatabase: () => Promise<Db> = getDb): void {
  if (state.sweeper) return;
  const sweep = () =>
    drainOutbox(getDatabase).catch((error: unknown) =>
      console.error('outbox sweep failed:', error instanceof Error ? error.message : error),
    );
  setTimeout(sweep, 1_000).unref();
  state.sweeper = setInterval(sweep, OUTBOX_SWEEP_MS);
  state.sweeper.unref();
}
