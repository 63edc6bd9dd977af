import { and, asc, count, desc, eq, gte, inArray, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import {
  clients,
  contentKind,
  deliveryStatus,
  messageDirection,
  messages,
  messageTextVector,
  senderKind,
} from '@/db/schema';
import { instantParam, listParam } from '@/lib/api/query-params';
import type { Actor, StaffActor } from '@/lib/auth/actor';
import { clientScopeWhere, requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { defineList, type ListPage } from '@/lib/pagination/list-input';
import { loadMessageDtos, type MessageDto } from './message-dto';

/** `count` is exact up to this many messages; past it, pages stop (narrow the query instead). */
export const MESSAGE_COUNT_CAP = 10_000;
/** The same for a full-text search, whose matches cost more to count and to page through. */
export const MESSAGE_SEARCH_CAP = 1_000;

/** The global messages list's query (REST API `GET /messages`). */
export const messageList = defineList({
  filters: {
    direction: listParam(z.enum(messageDirection.enumValues), {
      description:
        'inbound (from clients), outbound (to clients), internal (notes, never sent); comma-separated.',
    }),
    senderKind: listParam(z.enum(senderKind.enumValues), {
      description:
        'client, operator, bot (auto-replies), system (the desk or an API token); comma-separated.',
    }),
    deliveryStatus: listParam(z.enum(deliveryStatus.enumValues), {
      description: `${deliveryStatus.enumValues.join(', ')} (outbound messages only); comma-separated.`,
    }),
    contentKind: listParam(z.enum(contentKind.enumValues), {
      description: `${contentKind.enumValues.join(', ')}; comma-separated.`,
    }),
    clientId: z.uuid(),
    operatorId: z.uuid().meta({ description: 'Messages written by this operator.' }),
    departmentId: z.uuid().meta({ description: 'Messages of the clients now in this department.' }),
    createdFrom: instantParam(),
    createdTo: instantParam(),
  },
  ordering: ['createdAt'],
  defaultOrdering: '-createdAt',
  search: true,
});

export type ListMessagesInput = z.input<typeof messageList.schema>;

/**
 * The tsquery of a search in web-search syntax (`"exact phrase"`, `or`, `-word`), parsed in
 * Russian and in English and OR-ed, so each language's stemming applies: "заказы" finds
 * "заказ", "shipping" finds "shipped".
 */
export function messageSearchQuery(search: string): SQL {
  return sql`(websearch_to_tsquery('russian', ${search}) || websearch_to_tsquery('english', ${search}))`;
}

/** `text` matches the search — with the indexed expression itself, so the GIN index applies. */
export function messageTextMatches(text: SQLWrapper, search: string): SQL {
  return sql`${messageTextVector(text)} @@ ${messageSearchQuery(search)}`;
}

type Query = z.output<typeof messageList.schema>;
type Picked = { ids: string[]; count: number };

/**
 * A page of the messages of every client the actor may see now (admin: all; supervisor: their
 * departments' clients; operator: their own clients and their departments' queue; a token like
 * its role), filtered, optionally searched (full text, Russian and English, see
 * messageSearchQuery), newest first (or oldest first with `ordering: 'createdAt'`; search
 * results too — by time, not by rank).
 *
 * `count` is exact up to MESSAGE_COUNT_CAP (10,000) — MESSAGE_SEARCH_CAP (1,000) with a search —
 * and reports the cap past it; a page beyond the cap is refused (`bad_request`). Counting every
 * match of a common word among millions of messages is what would cost, and nobody pages that far.
 *
 * Every query of a page is bounded, whatever the data (see pickSearch for the search).
 * Errors: `forbidden` for non-staff actors, `bad_request` past the cap; invalid input throws a
 * ZodError.
 */
export async function listMessages({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: ListMessagesInput;
}): Promise<ListPage<MessageDto>> {
  const staff = requireStaff(actor);
  const q = messageList.schema.parse(input);
  const cap = q.search ? MESSAGE_SEARCH_CAP : MESSAGE_COUNT_CAP;
  const offset = (q.page - 1) * q.pageSize;
  if (offset >= cap) {
    throw new AppError(
      'bad_request',
      `Only the first ${cap.toLocaleString('en')} ${q.search ? 'matches' : 'messages'} can be paged through; narrow the list with filters or created_from / created_to.`,
    );
  }
  const limit = Math.min(q.pageSize, cap - offset);
  const picked = await db.transaction(async (tx) => {
    // One page is a few index ranges, planned for this very query: reading all of messages is
    // never the plan (the planner guesses it for LIMIT over uneven data, where it is ruinous),
    // neither is a plan cached for other values (a search word's frequency decides the plan),
    // nor parallel workers (their start costs more than the page).
    await setLocal(tx, {
      enable_seqscan: 'off',
      plan_cache_mode: 'force_custom_plan',
      max_parallel_workers_per_gather: '0',
      // A disabled node's cost (10^10) would pass JIT's threshold and compile every query: ~50 ms.
      jit: 'off',
    });
    const clientsWhere = await clientCondition(tx, staff, q);
    if (clientsWhere === 'none') return { ids: [], count: 0 };
    const where = and(clientsWhere, ...filterConditions(q));
    const page = { tx, q, where, scoped: clientsWhere !== undefined, offset, limit, cap };
    return q.search ? pickSearch({ ...page, search: q.search }) : pickList(page);
  });
  const results = await loadMessageDtos({ db, actor: staff, ids: picked.ids });
  return { count: picked.count, page: q.page, pageSize: q.pageSize, results };
}

/** Planner settings for the rest of the transaction, in one round trip (SET LOCAL). */
async function setLocal(tx: Tx, settings: Record<string, string>): Promise<void> {
  const calls = Object.entries(settings).map(([name, value]) => sql`set_config(${name}, ${value}, true)`);
  await tx.execute(sql`select ${sql.join(calls, sql`, `)}`);
}

/** Up to this many clients are named in the query itself; more stay a subquery. */
const CLIENT_IDS_IN_QUERY = 5_000;

/**
 * Which clients' messages: all (an admin without a client or department filter), none, or a
 * condition on messages.client_id. The actor's clients are looked up first (indexed on
 * clients): when there are few — an operator's own clients and queue — the query names them,
 * so the planner knows how few messages that is and reads them through the client index
 * instead of walking every message in time order looking for theirs.
 */
async function clientCondition(tx: Tx, staff: StaffActor, q: Query): Promise<SQL | undefined | 'none'> {
  const restrictions = [
    clientScopeWhere(staff),
    q.departmentId ? eq(clients.departmentId, q.departmentId) : undefined,
    q.clientId ? eq(clients.id, q.clientId) : undefined,
  ].filter((c): c is SQL => c !== undefined);
  if (restrictions.length === 0) return undefined;
  // A function, not one builder: drizzle's builders change in place (a .limit() would stick).
  const visible = () =>
    tx
      .select({ id: clients.id })
      .from(clients)
      .where(and(...restrictions));
  const ids = await visible().limit(CLIENT_IDS_IN_QUERY + 1);
  if (ids.length === 0) return 'none';
  if (ids.length > CLIENT_IDS_IN_QUERY) return inArray(messages.clientId, visible());
  // One array parameter (ids the database just gave us), not thousands of parameters.
  return sql`${messages.clientId} = any(${`{${ids.map((c) => c.id).join(',')}}`}::uuid[])`;
}

/** The filters on the message itself. */
function filterConditions(q: Query): (SQL | undefined)[] {
  return [
    q.direction ? inArray(messages.direction, q.direction) : undefined,
    q.senderKind ? inArray(messages.senderKind, q.senderKind) : undefined,
    q.deliveryStatus ? inArray(messages.deliveryStatus, q.deliveryStatus) : undefined,
    q.contentKind ? inArray(messages.contentKind, q.contentKind) : undefined,
    q.operatorId ? eq(messages.operatorId, q.operatorId) : undefined,
    q.createdFrom ? gte(messages.createdAt, q.createdFrom) : undefined,
    q.createdTo ? lt(messages.createdAt, q.createdTo) : undefined,
  ];
}

type PageArgs = {
  tx: Tx;
  q: Query;
  where: SQL | undefined;
  /** Whether `where` restricts the clients (an index on clients and messages.client_id drives it). */
  scoped: boolean;
  offset: number;
  limit: number;
  cap: number;
};

function ordered(q: Query, row: { createdAt: SQLWrapper; id: SQLWrapper }) {
  return q.ordering.startsWith('-') ? [desc(row.createdAt), desc(row.id)] : [asc(row.createdAt), asc(row.id)];
}

/**
 * How many rows match, stopping at `cap`: the count never reads more than `cap` rows. `order`
 * gives a LIMIT without an indexed condition (only `direction`, or nothing) a path through the
 * created_at index; with one (the actor's clients, a kind, an operator, a time range) the
 * planner starts from that index instead, unordered, and stops as soon as it has `cap` rows.
 */
async function cappedCount(tx: Tx, where: SQL | undefined, cap: number, order: SQL[] = []): Promise<number> {
  const capped = tx
    .select({ one: sql`1` })
    .from(messages)
    .where(where)
    .orderBy(...order)
    .limit(cap)
    .as('capped');
  const [row] = await tx.select({ value: count() }).from(capped);
  return row?.value ?? 0;
}

/** The page's ids from the filtered list (an index range per filter), and the capped count. */
async function pickList({ tx, q, where, scoped, offset, limit, cap }: PageArgs): Promise<Picked> {
  const rows = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(where)
    .orderBy(...ordered(q, messages))
    .limit(limit)
    .offset(offset);
  // A short page is the last one: its own length says how many there are.
  const known = rows.length > 0 && rows.length < limit;
  const indexed =
    scoped ||
    q.senderKind ||
    q.deliveryStatus ||
    q.contentKind ||
    q.operatorId ||
    q.createdFrom ||
    q.createdTo;
  const total = known
    ? offset + rows.length
    : await cappedCount(tx, where, cap, indexed ? [] : ordered(q, messages));
  return { ids: rows.map((r) => r.id), count: total };
}

/**
 * A search page, in a cost bounded however common or rare the words are. The text's vector is
 * an expression (nothing is stored per row), so testing it on a row costs ~10 µs: walking the
 * newest messages until enough match is fast for a common word and ruinous for a rare one —
 * the plan Postgres picks when its guess of the word's frequency is off — while collecting
 * every match through the GIN index and sorting them (~2 µs a match) is fast for a rare word
 * and slow for a word in a fifth of all messages. So the GIN index first measures the word:
 *
 * 1. Take up to `probe` matches through the GIN index alone (plain index scans off, so the
 *    planner cannot walk the created_at index instead) and sort them. Fewer than `probe`: they
 *    are all the matches, the page is among them, and their number is the count.
 * 2. Otherwise the word is common (at least probe / N of the N messages), and walking the
 *    newest messages meets `depth` matches within about depth × N / probe rows: walk at most
 *    four times that. `probe` = √(5 · depth · N) balances both (~11,000 for page 1 of a million
 *    messages); the count is then the cap.
 * 3. A word common in old messages but missing from the newest ones does not fill the page in
 *    the walk: then all its matches are sorted after all (the one case that costs ~2 µs a match).
 *
 * The probe is not bounded by its LIMIT: a GIN index is read as a bitmap, built whole before the
 * first row is fetched, so probing a word in a third of a million messages collects all ~350,000
 * of them (75 ms measured by `npm run bench:api`). So the planner is asked first: the index's
 * statistics list the most common words with their frequencies, and a word it expects at least
 * `probe` times goes straight to step 2, as if the probe had found `probe` matches (the same walk
 * of at most four times depth × N / probe rows; step 3 still catches a wrong guess). Trusting the
 * guess beyond that would shorten the walk: the newest messages need not use a word as often as
 * the whole table does.
 */
async function pickSearch({ tx, q, where, offset, limit, cap, search }: PageArgs & { search: string }) {
  const depth = offset + limit;
  const estimated = await estimatedMessages(tx);
  const probe = Math.max(cap, Math.ceil(Math.sqrt(5 * depth * estimated)));
  const matching = and(where, messageTextMatches(messages.text, search));

  // Expected at least `probe` times: what the probe would have found out, so go on as after it.
  let found = Math.min(await estimatedRows(tx, matching), probe);
  if (found < probe) {
    await setLocal(tx, { enable_indexscan: 'off', enable_indexonlyscan: 'off' });
    const sample = tx
      .select({ id: messages.id, createdAt: messages.createdAt })
      .from(messages)
      .where(matching)
      .limit(probe)
      .as('sample');
    const probed = await tx
      .select({ id: sample.id, found: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(sample)
      .orderBy(...ordered(q, sample))
      .limit(depth);
    found = probed[0]?.found ?? 0;
    if (found < probe) return { ids: probed.slice(offset).map((r) => r.id), count: Math.min(found, cap) };
  }

  await setLocal(tx, { enable_indexscan: 'on', enable_indexonlyscan: 'on' });
  const window = Math.min(50_000, Math.ceil((4 * depth * Math.max(estimated, found)) / found));
  // The window's ids come from an index alone; each row's text is read only until the page is full.
  const recent = tx
    .select({ id: messages.id, createdAt: messages.createdAt })
    .from(messages)
    .where(where)
    .orderBy(...ordered(q, messages))
    .limit(window)
    .as('recent');
  const candidate = alias(messages, 'candidate');
  const walked = await tx
    .select({ id: recent.id })
    .from(recent)
    .innerJoin(candidate, eq(candidate.id, recent.id))
    .where(messageTextMatches(candidate.text, search))
    .orderBy(...ordered(q, recent))
    .limit(limit)
    .offset(offset);
  if (walked.length === limit) return { ids: walked.map((r) => r.id), count: cap };

  await setLocal(tx, { enable_indexscan: 'off', enable_indexonlyscan: 'off' });
  const all = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(matching)
    .orderBy(...ordered(q, messages))
    .limit(limit)
    .offset(offset);
  return { ids: all.map((r) => r.id), count: cap };
}

const explained = z.array(z.object({ Plan: z.object({ 'Plan Rows': z.number() }) })).min(1);

/**
 * The planner's estimate of the messages matching `where` (EXPLAIN: planned, not run), or 0 when
 * the answer has an unexpected shape (the search then probes, as without an estimate).
 */
async function estimatedRows(tx: Tx, where: SQL | undefined): Promise<number> {
  const result = await tx.execute(sql`explain (format json) select 1 from ${messages} where ${where}`);
  const raw = rowsOf<Record<string, unknown>>(result)[0]?.['QUERY PLAN'];
  let json: unknown = raw;
  try {
    if (typeof raw === 'string') json = JSON.parse(raw);
  } catch {
    return 0;
  }
  const parsed = explained.safeParse(json);
  return parsed.success ? (parsed.data[0]?.Plan['Plan Rows'] ?? 0) : 0;
}

/** Postgres's own estimate of the number of messages (0 before the table was first analysed). */
async function estimatedMessages(tx: Tx): Promise<number> {
  const [row] = await tx
    .select({ value: sql<number>`greatest(reltuples, 0)`.mapWith(Number) })
    .from(sql`pg_class`)
    .where(sql`oid = 'messages'::regclass`);
  return row?.value ?? 0;
}
