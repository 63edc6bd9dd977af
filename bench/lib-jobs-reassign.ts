// The `reassign` scenario of `npm run bench:jobs`: reassign-by-load moving 10,000 awaiting clients
// of offline operators to online colleagues in one call, against a same-run baseline — one
// set-based UPDATE of the same 10,000 client rows (the least any reassignment must write).
import postgres from 'postgres';
import { openDb } from '@/db/client';
import { migrateAndTruncate } from '@/db/maintenance';
import { systemActor } from '@/lib/auth/actor';
import { reassignClients } from '@/lib/clients/reassign-clients';
import { recordReassignmentNotices } from '@/lib/operators/notify-reassigned-operators';

export type ReassignRound = {
  round: number;
  baselineMs: number;
  reassignMs: number;
  moved: number;
  /** Largest minus smallest load among the online operators after the move. */
  loadSpread: number;
  /** Operators' Telegram notices recorded in the outbox (the job's own addition). */
  notices: number;
  /** Operators whose `active_clients` differs from a count of their active clients (must be 0). */
  countsOff: number;
};

const TELEGRAM_BASE = 700_000_000;
const OPERATOR_TELEGRAM_BASE = 800_000_000;

/**
 * Empties the bench database and seeds one department, `operators` operators (half offline,
 * each holding an equal share of `clients` clients who await an answer; half online and empty,
 * with room for all of them). Called before every round, so each round moves the same clients.
 */
async function seed(sql: postgres.Sql, size: { clients: number; operators: number }) {
  await sql.begin(async (tx) => {
    await tx`truncate departments, operators, telegram_users, clients, outbox cascade`;
    const [department] = await tx<{ id: string }[]>`
      insert into departments (name, is_default) values ('Bench', true) returning id`;
    const half = Math.floor(size.operators / 2);
    const capacity = Math.ceil(size.clients / half) + 10;
    await tx`
      insert into operators (email, name, status, capacity, telegram_user_id)
      select 'op' || i || '@bench.test', 'Operator ' || i,
        (case when i <= ${half} then 'offline' else 'online' end)::operator_status, ${capacity},
        ${OPERATOR_TELEGRAM_BASE} + i
      from generate_series(1, ${size.operators}) i`;
    await tx`insert into operator_departments (operator_id, department_id) select id, ${department?.id ?? null} from operators`;
    await tx`
      insert into telegram_users (id, first_name)
      select ${TELEGRAM_BASE} + i, 'Client ' || i from generate_series(1, ${size.clients}) i`;
    /* eslint-disable no-restricted-syntax -- a bench filling an empty database, not a client's state change */
    await tx`
      with offline as (select id, row_number() over (order by email) - 1 as n from operators where status = 'offline')
      insert into clients (telegram_user_id, chat_id, display_name, status, department_id, assigned_operator_id,
        assigned_at, last_message_at, last_inbound_at)
      select ${TELEGRAM_BASE} + i, ${TELEGRAM_BASE} + i, 'Client ' || i, 'new', ${department?.id ?? null}, o.id,
        now() - interval '1 hour', now(), now()
      from generate_series(1, ${size.clients}) i join offline o on o.n = i % ${half}`;
    /* eslint-enable no-restricted-syntax */
  });
  await sql`vacuum analyze clients`;
  await sql`vacuum analyze operators`;
}

/**
 * Runs the scenario `rounds` times on the local Postgres at `url` (emptied first). Each round
 * seeds, times the baseline UPDATE (rolled back), then times reassignClients with the job's notices and checks every
 * client moved to an online operator. Throws if a round moves a different number of clients.
 */
export async function runReassignScenario({
  url,
  clients = 10_000,
  operators = 200,
  rounds = 3,
}: {
  url: string;
  clients?: number;
  operators?: number;
  rounds?: number;
}): Promise<ReassignRound[]> {
  await migrateAndTruncate(url);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const handle = await openDb({ databaseUrl: url });
  const results: ReassignRound[] = [];
  try {
    for (let round = 1; round <= rounds; round += 1) {
      await seed(sql, { clients, operators });
      let baselineMs = 0;
      await sql
        .begin(async (tx) => {
          const started = performance.now();
          // eslint-disable-next-line no-restricted-syntax -- the baseline's write, rolled back: no client's state changes
          await tx`update clients set updated_at = now() where status = 'new'`;
          baselineMs = performance.now() - started;
          throw new RollBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RollBack)) throw error;
        });
      let notices = 0;
      const started = performance.now();
      const outcome = await reassignClients({
        db: handle.db,
        actor: systemActor('bench'),
        now: new Date(),
        limit: clients,
        // What the job adds: both operators' Telegram notices, recorded in the outbox in the
        // moves' transaction (every operator here has linked Telegram).
        onMoved: async (tx, applied) => {
          notices = await recordReassignmentNotices(tx, applied);
        },
      });
      const reassignMs = performance.now() - started;
      const [check] = await sql<{ moved: number; spread: number; counts_off: number }[]>`
        select (select count(*)::int from clients c join operators o on o.id = c.assigned_operator_id
                 where o.status = 'online') as moved,
               (select max(active_clients) - min(active_clients) from operators where status = 'online')::int as spread,
               (select count(*)::int from operators o where o.active_clients <> (select count(*) from clients c
                 where c.assigned_operator_id = o.id and c.status in ('new', 'in_progress', 'waiting'))) as counts_off`;
      if (outcome.moves.length !== clients || check?.moved !== clients || check.counts_off !== 0) {
        throw new Error(
          `round ${round}: moved ${outcome.moves.length} (${check?.moved} online), expected ${clients}; ${check?.counts_off} operators' counts off`,
        );
      }
      results.push({
        round,
        baselineMs,
        reassignMs,
        moved: check.moved,
        loadSpread: check.spread,
        notices,
        countsOff: check.counts_off,
      });
    }
  } finally {
    await handle.close();
    await sql.end();
  }
  return results;
}

class RollBack extends Error {}
