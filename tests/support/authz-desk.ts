// A desk seen from every kind of REST API caller, for the authorization matrix and the malformed
// input tests: three departments (Main, the default; A; B), a person of each role, clients of
// every kind of ownership with an episode, messages, a stored file and an audit row each, API
// tokens by role (live, revoked, expired, spare ones to revoke), and every seeded value that
// identifies an object made unique ("markers"), so a test can tell from a response's text alone
// whether it shows something its caller may not see.
import { randomInt, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { apiTokens, clients, conversations } from '@/db/schema';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { recordAudit } from '@/lib/audit/record-audit';
import { systemActor } from '@/lib/auth/actor';
import type { FileStorage } from '@/lib/storage/storage';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { linkOperatorTelegram } from '../factories/auth';
import { makeClient, makeInboundMessage, makeSentOperatorMessage } from '../factories/messages';
import { sessionCookie } from './api-server';

/** Who calls: a token, a session cookie, a raw Authorization header, or nothing. */
export type Credentials = { token?: string; cookie?: string; authorization?: string };

/** The callers the matrix knows, by short name. */
export const CALLERS = {
  AT: 'admin token',
  AS: 'admin session',
  ST: 'supervisor token (department A)',
  SS: 'supervisor session (department A)',
  OT: 'operator token (department A)',
  OS: 'operator session (operator A)',
  RV: 'revoked admin token',
  EX: 'expired admin token',
  NO: 'no credentials',
  MF: 'malformed Authorization header',
  BC: 'session cookie that is not ours',
} as const;
export type CallerName = keyof typeof CALLERS;
export const CALLER_NAMES = Object.keys(CALLERS) as CallerName[];
/** The callers who are someone: the rest must get 401 everywhere. */
export const AUTHENTICATED: CallerName[] = ['AT', 'AS', 'ST', 'SS', 'OT', 'OS'];

/** Something seeded that only some callers may see, and the strings that would give it away. */
export type Marked = { label: string; markers: string[]; seenBy: CallerName[] };

type Person = Awaited<ReturnType<typeof makeOperator>>;

const tag = () => randomUUID().replaceAll('-', '').slice(0, 10);

/** A Telegram-sized id no other seeded number contains. */
const telegramId = () => 7_000_000_000 + randomInt(0, 999_999_999);

async function token(
  db: Db,
  name: string,
  role: 'admin' | 'supervisor' | 'operator',
  departmentIds: string[],
) {
  return createApiToken({ db, actor: systemActor('test'), input: { name, role, departmentIds } });
}

/**
 * Builds the desk on an empty database. Operators are `away`, so no queue drain moves clients
 * between the matrix's cells unless a cell asks for it. Every client has an open episode, an
 * inbound message with a stored file and an operator's sent reply; the queued client's reply is
 * by the colleague, who had it before it was returned to the queue.
 */
export async function buildAuthzDesk(db: Db, storage: FileStorage) {
  const main = await makeDepartment(db, { isDefault: true, name: `Main ${tag()}` });
  const departmentA = await makeDepartment(db, { name: `Alpha ${tag()}` });
  const departmentB = await makeDepartment(db, { name: `Beta ${tag()}` });

  const passwordMarker = `pwhash${tag()}`;
  const person = async (role: 'admin' | 'supervisor' | 'operator', name: string, departmentIds: string[]) =>
    makeOperator(db, {
      role,
      name: `${name} ${tag()}`,
      departmentIds,
      status: 'away',
      passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${passwordMarker}`,
    });
  const admin = await person('admin', 'Ada', []);
  const supervisorA = await person('supervisor', 'Sue', [departmentA.id]);
  const supervisorB = await person('supervisor', 'Sam', [departmentB.id]);
  const operatorA = await person('operator', 'Olga', [departmentA.id]);
  const colleagueA = await person('operator', 'Carl', [departmentA.id]);
  const operatorB = await person('operator', 'Boris', [departmentB.id]);
  const operatorTelegramIds = {
    operatorA: telegramId(),
    colleagueA: telegramId(),
    operatorB: telegramId(),
  };
  await linkOperatorTelegram(db, operatorA.id, operatorTelegramIds.operatorA);
  await linkOperatorTelegram(db, colleagueA.id, operatorTelegramIds.colleagueA);
  await linkOperatorTelegram(db, operatorB.id, operatorTelegramIds.operatorB);

  /** A client with an open episode, an inbound message with a stored file and a sent reply. */
  const client = async (
    label: string,
    departmentId: string,
    operator: Person | null,
    replyBy: Person,
    status: 'new' | 'in_progress',
  ) => {
    const marker = `${label}${tag()}`;
    const id = telegramId();
    const row = await makeClient(db, {
      departmentId,
      assignedOperatorId: operator?.id ?? null,
      status,
      chatId: id,
      name: `Client ${marker}`,
    });
    const [episode] = await db
      .insert(conversations)
      .values({ clientId: row.id, departmentId, operatorId: operator?.id ?? null })
      .returning();
    if (!episode) throw new Error('episode not created');
    await db
      .update(clients)
      .set({
        currentConversationId: episode.id,
        ...(operator ? {} : { queuedAt: new Date() }),
        lastMessageAt: new Date(),
      })
      .where(eq(clients.id, row.id));
    const key = `inbound/authz/${marker}/note.txt`;
    await storage.put(key, Buffer.from(`file of ${marker}`), { contentType: 'text/plain' });
    const { message: inbound, attachment } = await makeInboundMessage(db, {
      client: row,
      text: `Inbound ${marker}`,
      attachment: {
        kind: 'document',
        status: 'stored',
        storageKey: key,
        fileName: `note-${marker}.txt`,
        mimeType: 'text/plain',
      },
    });
    if (!attachment) throw new Error('attachment not created');
    const reply = await makeSentOperatorMessage(db, {
      client: row,
      operatorId: replyBy.id,
      text: `Reply ${marker}`,
    });
    return { ...row, marker, telegramUserId: id, episode, inbound, attachment, reply };
  };
  const own = await client('own', departmentA.id, operatorA, operatorA, 'in_progress');
  const queue = await client('queue', departmentA.id, null, colleagueA, 'new');
  const colleague = await client('colleague', departmentA.id, colleagueA, colleagueA, 'in_progress');
  const foreign = await client('foreign', departmentB.id, operatorB, operatorB, 'in_progress');

  // One audit row by each operator about their client (the trigger files it under the
  // client's department).
  const logRow = async (actor: Person, departmentId: string, target: { id: string }) => {
    await recordAudit(db, actorFor(actor, [departmentId]), {
      action: 'client.status_changed',
      targetType: 'client',
      targetId: target.id,
      details: { from: 'new', to: 'in_progress' },
    });
    const [row] = rowsOf<{ id: number }>(
      await db.execute(
        sql`select id from operator_logs where target_id = ${target.id} order by id desc limit 1`,
      ),
    );
    if (!row) throw new Error('audit row not written');
    return Number(row.id);
  };
  const logs = {
    own: await logRow(operatorA, departmentA.id, own),
    colleague: await logRow(colleagueA, departmentA.id, colleague),
    foreign: await logRow(operatorB, departmentB.id, foreign),
  };

  const adminToken = await token(db, `admin ${tag()}`, 'admin', []);
  const supervisorToken = await token(db, `supervisor ${tag()}`, 'supervisor', [departmentA.id]);
  const operatorToken = await token(db, `operator ${tag()}`, 'operator', [departmentA.id]);
  const revoked = await token(db, `revoked ${tag()}`, 'admin', []);
  await db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, revoked.id));
  const expired = await token(db, `expired ${tag()}`, 'admin', []);
  await db
    .update(apiTokens)
    .set({ expiresAt: sql`now() - interval '1 minute'` })
    .where(eq(apiTokens.id, expired.id));
  const spareA = await token(db, `spare A ${tag()}`, 'operator', [departmentA.id]);
  const spareB = await token(db, `spare B ${tag()}`, 'operator', [departmentB.id]);

  const credentials: Record<CallerName, Credentials> = {
    AT: { token: adminToken.token },
    AS: { cookie: await sessionCookie(admin) },
    ST: { token: supervisorToken.token },
    SS: { cookie: await sessionCookie(supervisorA) },
    OT: { token: operatorToken.token },
    OS: { cookie: await sessionCookie(operatorA) },
    RV: { token: revoked.token },
    EX: { token: expired.token },
    NO: {},
    MF: { authorization: "Bearer tsd_x' OR '1'='1" },
    BC: { cookie: 'next-auth.session-token=eyJhbGciOiJub25lIn0.e30.' },
  };
  /** Who an audit row written by each authenticated caller names. */
  const auditActor: Partial<Record<CallerName, { apiTokenId?: string; operatorId?: string }>> = {
    AT: { apiTokenId: adminToken.id },
    AS: { operatorId: admin.id },
    ST: { apiTokenId: supervisorToken.id },
    SS: { operatorId: supervisorA.id },
    OT: { apiTokenId: operatorToken.id },
    OS: { operatorId: operatorA.id },
  };

  const all = AUTHENTICATED;
  const admins: CallerName[] = ['AT', 'AS'];
  const clientMarks = (c: typeof own, seenBy: CallerName[]): Marked => ({
    label: `client ${c.marker}`,
    markers: [c.id, c.marker, String(c.telegramUserId), c.inbound.id, c.reply.id, c.attachment.id],
    seenBy,
  });
  const personMarks = (label: string, p: Person, seenBy: CallerName[]): Marked => ({
    label,
    markers: [p.id, p.name, p.email],
    seenBy,
  });
  /** Everything seeded that some caller may not see. */
  const marked: Marked[] = [
    clientMarks(own, ['AT', 'AS', 'ST', 'SS', 'OS']),
    clientMarks(queue, ['AT', 'AS', 'ST', 'SS', 'OT', 'OS']),
    clientMarks(colleague, ['AT', 'AS', 'ST', 'SS']),
    clientMarks(foreign, admins),
    { label: 'episode own', markers: [own.episode.id], seenBy: ['AT', 'AS', 'ST', 'SS', 'OS'] },
    { label: 'episode queue', markers: [queue.episode.id], seenBy: ['AT', 'AS', 'ST', 'SS', 'OT'] },
    { label: 'episode colleague', markers: [colleague.episode.id], seenBy: ['AT', 'AS', 'ST', 'SS'] },
    { label: 'episode foreign', markers: [foreign.episode.id], seenBy: admins },
    personMarks('admin', admin, admins),
    personMarks('supervisor A', supervisorA, all),
    personMarks('operator A', operatorA, all),
    personMarks('colleague A', colleagueA, all),
    personMarks('supervisor B', supervisorB, admins),
    personMarks('operator B', operatorB, admins),
    {
      label: 'operators’ Telegram ids',
      markers: Object.values(operatorTelegramIds).map(String),
      seenBy: admins,
    },
    { label: 'password hashes', markers: [passwordMarker], seenBy: [] },
    {
      label: 'token secrets',
      markers: [adminToken, supervisorToken, operatorToken, revoked, expired, spareA, spareB].map(
        (t) => t.token,
      ),
      seenBy: [],
    },
    {
      label: 'other tokens',
      markers: [revoked, expired, spareA, spareB].flatMap((t) => [t.id, t.name]),
      seenBy: admins,
    },
  ];

  return {
    main,
    departmentA,
    departmentB,
    people: { admin, supervisorA, supervisorB, operatorA, colleagueA, operatorB },
    clients: { own, queue, colleague, foreign },
    logs,
    tokens: { spareA, spareB },
    credentials,
    auditActor,
    marked,
  };
}

export type AuthzDesk = Awaited<ReturnType<typeof buildAuthzDesk>>;

/** The markers `caller` must never find in an answer. */
export function hiddenFrom(desk: AuthzDesk, caller: CallerName): { label: string; marker: string }[] {
  return desk.marked
    .filter((m) => !m.seenBy.includes(caller))
    .flatMap((m) => m.markers.map((marker) => ({ label: m.label, marker })));
}

/**
 * Tables a request is not supposed to change: every table of the app but the rate limiter's
 * counters (each request counts, by design). A token's last-use time and address are
 * bookkeeping of the authentication itself and left out too.
 */
async function snapshotTables(db: Db): Promise<string[]> {
  const rows = rowsOf<{ tablename: string }>(
    await db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`),
  );
  return rows.map((r) => r.tablename).filter((t) => t !== 'rate_limits');
}

const rowJson = (table: string) =>
  `select to_jsonb(r) - 'last_used_at' - 'last_used_ip' as x from "${table.replaceAll('"', '""')}" r`;

/** A fingerprint of every table's rows (one query): equal fingerprints, unchanged tables. */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await snapshotTables(db);
  const query = tables
    .map(
      (t) =>
        `select '${t}' as t, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h from (${rowJson(t)}) s`,
    )
    .join(' union all ');
  const rows = rowsOf<{ t: string; h: string }>(await db.execute(sql.raw(query)));
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/** Every table's rows as JSON text, sorted: to say what changed when a fingerprint differs. */
export async function tableRows(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await snapshotTables(db)) {
    const rows = rowsOf<{ x: unknown }>(await db.execute(sql.raw(rowJson(t))));
    out[t] = rows.map((r) => (typeof r.x === 'string' ? r.x : JSON.stringify(r.x))).sort();
  }
  return out;
}

/** The rows added and removed between two `tableRows`, by table (changed rows count as both). */
export function rowChanges(before: Record<string, string[]>, after: Record<string, string[]>) {
  const changes: Record<string, { added: string[]; removed: string[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[table] ?? []);
    const now = new Set(after[table] ?? []);
    const added = [...now].filter((r) => !was.has(r));
    const removed = [...was].filter((r) => !now.has(r));
    if (added.length > 0 || removed.length > 0) changes[table] = { added, removed };
  }
  return changes;
}

/** Every table's rows, to put the desk back as it was built (much faster than building it). */
export type SavedTables = { order: string[]; rows: Record<string, string> };

const quoted = (table: string) => `"${table.replaceAll('"', '""')}"`;

/** The app's tables, parents before children (by their foreign keys). */
async function tablesInOrder(db: Db): Promise<string[]> {
  const tables = rowsOf<{ tablename: string }>(
    await db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`),
  ).map((r) => r.tablename);
  const edges = rowsOf<{ child: string; parent: string }>(
    await db.execute(sql`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = 'public' and c.conrelid <> c.confrelid`),
  ).map((e) => ({ child: e.child.replaceAll('"', ''), parent: e.parent.replaceAll('"', '') }));
  const order: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (order.includes(table)) return;
    if (path.includes(table)) throw new Error(`foreign keys in a cycle: ${[...path, table].join(' → ')}`);
    for (const e of edges.filter((x) => x.child === table)) visit(e.parent, [...path, table]);
    order.push(table);
  };
  for (const t of tables) visit(t, []);
  return order;
}

/** Saves every table's rows (as JSON). */
export async function saveTables(db: Db): Promise<SavedTables> {
  const order = await tablesInOrder(db);
  const rows: Record<string, string> = {};
  for (const t of order) {
    const [row] = rowsOf<{ j: unknown }>(
      await db.execute(sql.raw(`select coalesce(json_agg(r), '[]')::text as j from ${quoted(t)} r`)),
    );
    rows[t] = typeof row?.j === 'string' ? row.j : JSON.stringify(row?.j ?? []);
  }
  return { order, rows };
}

/**
 * Puts every table back as saved, in one transaction: rows deleted children first, inserted
 * parents first. Inserting the clients runs the trigger that counts each operator's active
 * clients once more, so the saved counts are written back last.
 */
export async function restoreTables(db: Db, saved: SavedTables): Promise<void> {
  await db.transaction(async (tx) => {
    for (const t of [...saved.order].reverse()) await tx.execute(sql.raw(`delete from ${quoted(t)}`));
    for (const t of saved.order) {
      const json = saved.rows[t] ?? '[]';
      if (json === '[]') continue;
      await tx.execute(
        sql`insert into ${sql.raw(quoted(t))} overriding system value
          select * from json_populate_recordset(null::${sql.raw(quoted(t))}, ${json}::json)`,
      );
    }
    await tx.execute(sql`update operators o set active_clients = s.active_clients
      from json_populate_recordset(null::operators, ${saved.rows.operators ?? '[]'}::json) s
      where o.id = s.id`);
  });
}
