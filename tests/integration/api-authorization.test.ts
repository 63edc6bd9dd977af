// The REST API's authorization matrix: every operation × every kind of caller × objects of every
// kind of ownership, with the answer expected in each cell written out below. Beyond the status
// the test checks, for every answer, that it shows nothing its caller may not see (the seeded
// markers, tests/support/authz-desk.ts); that a foreign object is answered exactly as one that
// does not exist; that a refused call and a read change no table; and that a change is written to
// the audit trail with the caller, its address and its user agent.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { clients, operators } from '@/db/schema';
import { apiOperations } from '@/lib/api/operations';
import type { ApiOperation } from '@/lib/api/operation';
import { settleBackgroundWork } from '@/lib/background';
import { resolveClient } from '@/lib/clients/resolve-client';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import type { FileStorage } from '@/lib/storage/storage';
import { actorFor } from '../factories';
import { apiBaseUrl } from '../support/api-server';
import {
  AUTHENTICATED,
  buildAuthzDesk,
  CALLER_NAMES,
  fingerprint,
  hiddenFrom,
  restoreTables,
  rowChanges,
  saveTables,
  tableRows,
  type SavedTables,
  type AuthzDesk,
  type CallerName,
} from '../support/authz-desk';
import { getTestDb, resetDb } from '../support/db';

// ─── The expected answers ──────────────────────────────────────────────────────────────────────
//
// Callers: AT/AS admin token/session · ST/SS supervisor of department A, token/session · OT operator
// token of department A · OS operator A's session · RV revoked token · EX expired token · NO no
// credentials · MF malformed Authorization header · BC a session cookie that is not ours.
//
// Objects: own — in the caller's department A, operator A's own client (their message, their
// episode, their audit row; for departments A itself, for operators operator A, for tokens a spare
// token of A) · queue — A's client nobody has (its last reply was the colleague's) · colleague —
// the colleague's client in A · foreign — department B's (B itself, operator B, a token of B) ·
// crossed — a foreign message addressed through one's own client · missing — an id nobody has ·
// none — the operation has no object.
//
// A cell is the status code; for lists `in` / `out`: 200, with the object listed or absent.
// 404 is how anything the caller may not see is answered (never 403: existence is not revealed);
// 403 means the caller sees the object (or there is none) but their role may not do this.

type ObjectName = 'own' | 'queue' | 'colleague' | 'foreign' | 'crossed' | 'missing' | 'none';
type Cell = 200 | 201 | 204 | 401 | 403 | 404 | 409 | 422 | 'in' | 'out';

type Spec = {
  table: string;
  /** The path's parameters for an object (default: no parameters). */
  params?: (d: AuthzDesk, object: ObjectName) => Record<string, string>;
  /** A query string (without `?`). */
  query?: string;
  /** The JSON body sent for an object. */
  body?: (d: AuthzDesk, object: ObjectName, caller: CallerName) => unknown;
  /** For lists: the id each object column is listed by. */
  listed?: (d: AuthzDesk) => Partial<Record<ObjectName, string>>;
  /** State the operation needs, set up before any call. */
  prepare?: (db: Db, d: AuthzDesk) => Promise<void>;
  /**
   * The read that says who sees each object (its table's 200s): an object a caller does not see
   * must be 404 here too (or 403 for everything, missing ids included, when the role is checked
   * first), and a list must give exactly the objects it says.
   */
  seenThrough?: string;
};

const UNKNOWN_ID = '00000000-4000-8000-8000-000000000000';
type ClientKey = 'own' | 'queue' | 'colleague' | 'foreign';
const clientOf = (d: AuthzDesk, o: ObjectName) => d.clients[o as ClientKey];
const byClient =
  (pick: (c: AuthzDesk['clients'][ClientKey]) => string) =>
  (d: AuthzDesk, o: ObjectName): Record<string, string> => ({
    id: o === 'missing' ? UNKNOWN_ID : pick(clientOf(d, o)),
  });
const clientParams = byClient((c) => c.id);
const messageParams = (d: AuthzDesk, o: ObjectName) => ({
  id: d.clients[o === 'crossed' || o === 'missing' ? 'own' : (o as ClientKey)].id,
  message_id:
    o === 'missing' ? UNKNOWN_ID : o === 'crossed' ? d.clients.foreign.reply.id : clientOf(d, o).reply.id,
});
const departmentParams = (d: AuthzDesk, o: ObjectName) => ({
  id: o === 'own' ? d.departmentA.id : o === 'foreign' ? d.departmentB.id : UNKNOWN_ID,
});
const operatorParams = (d: AuthzDesk, o: ObjectName) => ({
  id:
    o === 'own'
      ? d.people.operatorA.id
      : o === 'colleague'
        ? d.people.colleagueA.id
        : o === 'foreign'
          ? d.people.operatorB.id
          : UNKNOWN_ID,
});
const logParams = (d: AuthzDesk, o: ObjectName) => ({
  id: String(d.logs[o as 'own' | 'colleague' | 'foreign'] ?? 999_999_999),
});
const tokenParams = (d: AuthzDesk, o: ObjectName) => ({
  id: o === 'own' ? d.tokens.spareA.id : o === 'foreign' ? d.tokens.spareB.id : UNKNOWN_ID,
});
const listedClients = (pick: (c: AuthzDesk['clients'][ClientKey]) => string) => (d: AuthzDesk) => ({
  own: pick(d.clients.own),
  queue: pick(d.clients.queue),
  colleague: pick(d.clients.colleague),
  foreign: pick(d.clients.foreign),
});
const listedLogs = (d: AuthzDesk) => ({
  own: String(d.logs.own),
  colleague: String(d.logs.colleague),
  foreign: String(d.logs.foreign),
});
const resolveAll = async (db: Db, d: AuthzDesk) => {
  const admin = actorFor(d.people.admin, []);
  for (const c of Object.values(d.clients))
    await db.transaction((tx) => resolveClient({ tx, actor: admin, input: { clientId: c.id } }));
};

const matrix: Record<string, Spec> = {
  // ── clients ──
  listClients: {
    seenThrough: 'getClient',
    query: 'page_size=100',
    listed: listedClients((c) => c.id),
    table: `
                    own   queue colleague foreign
      AT AS         in    in    in        in
      ST SS         in    in    in        out
      OT            out   in    out       out
      OS            in    in    out       out
      RV EX NO MF BC 401  401   401       401`,
  },
  getClient: {
    params: clientParams,
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   200   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  updateClient: {
    seenThrough: 'getClient',
    params: clientParams,
    body: () => ({ status: 'resolved' }),
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   200   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  assignClient: {
    seenThrough: 'getClient',
    params: clientParams,
    // Back to the queue; the queued client to the colleague (operators may only take it themselves).
    body: (d, o) => ({ operator_id: o === 'queue' ? d.people.colleagueA.id : null }),
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   403   404       404     404
      OS            200   403   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  transferClient: {
    seenThrough: 'getClient',
    params: clientParams,
    body: (d) => ({ department_id: d.main.id }),
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   200   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  resolveClient: {
    seenThrough: 'getClient',
    params: clientParams,
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   200   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  reopenClient: {
    seenThrough: 'getClient',
    params: clientParams,
    prepare: resolveAll,
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   200   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  // ── messages and files ──
  listClientMessages: {
    seenThrough: 'getClient',
    params: clientParams,
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   200   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  sendClientMessage: {
    seenThrough: 'getClient',
    params: clientParams,
    body: () => ({ text: 'Thanks, we are on it.' }),
    table: `
                    own   queue colleague foreign missing
      AT AS         201   201   201       201     404
      ST SS         201   201   201       404     404
      OT            404   201   404       404     404
      OS            201   201   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  editClientMessage: {
    seenThrough: 'getClient',
    params: messageParams,
    body: () => ({ text: 'Corrected reply' }),
    table: `
                    own   queue colleague foreign crossed missing
      AT AS         200   200   200       200     404     404
      ST SS         200   200   200       404     404     404
      OT            404   403   404       404     404     404
      OS            200   403   404       404     404     404
      RV EX NO MF BC 401  401   401       401     401     401`,
  },
  deleteClientMessage: {
    seenThrough: 'getClient',
    params: messageParams,
    table: `
                    own   queue colleague foreign crossed missing
      AT AS         200   200   200       200     404     404
      ST SS         200   200   200       404     404     404
      OT            404   403   404       404     404     404
      OS            200   403   404       404     404     404
      RV EX NO MF BC 401  401   401       401     401     401`,
  },
  listMessages: {
    seenThrough: 'getClient',
    query: 'page_size=100',
    listed: listedClients((c) => c.inbound.id),
    table: `
                    own   queue colleague foreign
      AT AS         in    in    in        in
      ST SS         in    in    in        out
      OT            out   in    out       out
      OS            in    in    out       out
      RV EX NO MF BC 401  401   401       401`,
  },
  getAttachment: {
    seenThrough: 'getClient',
    params: byClient((c) => c.attachment.id),
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   200   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  // ── departments ──
  listDepartments: {
    seenThrough: 'getDepartment',
    query: 'page_size=100',
    listed: (d) => ({ own: d.departmentA.id, foreign: d.departmentB.id }),
    table: `
                    own   foreign
      AT AS         in    in
      ST SS         in    in
      OT OS         in    in
      RV EX NO MF BC 401  401`,
  },
  getDepartment: {
    params: departmentParams,
    table: `
                    own   foreign missing
      AT AS         200   200     404
      ST SS         200   200     404
      OT OS         200   200     404
      RV EX NO MF BC 401  401     401`,
  },
  createDepartment: {
    body: () => ({ name: `Returns ${randomUUID().slice(0, 8)}` }),
    table: `
                    none
      AT AS         201
      ST SS         403
      OT OS         403
      RV EX NO MF BC 401`,
  },
  updateDepartment: {
    seenThrough: 'getDepartment',
    params: departmentParams,
    body: () => ({ description: 'Changed by the authorization matrix' }),
    table: `
                    own   foreign missing
      AT AS         200   200     404
      ST SS         403   403     404
      OT OS         403   403     404
      RV EX NO MF BC 401  401     401`,
  },
  deactivateDepartment: {
    seenThrough: 'getDepartment',
    params: departmentParams,
    table: `
                    own   foreign missing
      AT AS         200   200     404
      ST SS         403   403     404
      OT OS         403   403     404
      RV EX NO MF BC 401  401     401`,
  },
  // ── operators ──
  listOperators: {
    seenThrough: 'getOperator',
    query: 'page_size=100',
    listed: (d) => ({
      own: d.people.operatorA.id,
      colleague: d.people.colleagueA.id,
      foreign: d.people.operatorB.id,
    }),
    table: `
                    own   colleague foreign
      AT AS         in    in        in
      ST SS         in    in        out
      OT OS         in    in        out
      RV EX NO MF BC 401  401       401`,
  },
  getOperator: {
    params: operatorParams,
    table: `
                    own   colleague foreign missing
      AT AS         200   200       200     404
      ST SS         200   200       404     404
      OT OS         200   200       404     404
      RV EX NO MF BC 401  401       401     401`,
  },
  getOperatorStats: {
    seenThrough: 'getOperator',
    params: operatorParams,
    query: 'days=7',
    table: `
                    own   colleague foreign missing
      AT AS         200   200       200     404
      ST SS         200   200       404     404
      OT            403   403       404     404
      OS            200   403       404     404
      RV EX NO MF BC 401  401       401     401`,
  },
  createOperator: {
    body: (d, o) => ({
      email: `new-${randomUUID().slice(0, 8)}@example.test`,
      name: 'New Operator',
      password: 'a long enough password',
      department_ids: [o === 'own' ? d.departmentA.id : d.departmentB.id],
    }),
    table: `
                    own   foreign
      AT AS         201   201
      ST SS         403   403
      OT OS         403   403
      RV EX NO MF BC 401  401`,
  },
  updateOperator: {
    seenThrough: 'getOperator',
    params: operatorParams,
    body: () => ({ capacity: 7 }),
    table: `
                    own   colleague foreign missing
      AT AS         200   200       200     404
      ST SS         403   403       404     404
      OT OS         403   403       404     404
      RV EX NO MF BC 401  401       401     401`,
  },
  setOperatorStatus: {
    seenThrough: 'getOperator',
    params: operatorParams,
    body: () => ({ status: 'online' }),
    table: `
                    own   colleague foreign missing
      AT AS         200   200       200     404
      ST SS         200   200       404     404
      OT            403   403       404     404
      OS            200   403       404     404
      RV EX NO MF BC 401  401       401     401`,
  },
  inviteOperator: {
    seenThrough: 'getOperator',
    params: operatorParams,
    table: `
                    own   colleague foreign missing
      AT AS         201   201       201     404
      ST SS         403   403       404     404
      OT OS         403   403       404     404
      RV EX NO MF BC 401  401       401     401`,
  },
  // ── conversations ──
  listConversations: {
    seenThrough: 'getConversation',
    query: 'page_size=100',
    listed: listedClients((c) => c.episode.id),
    table: `
                    own   queue colleague foreign
      AT AS         in    in    in        in
      ST SS         in    in    in        out
      OT            out   in    out       out
      OS            in    out   out       out
      RV EX NO MF BC 401  401   401       401`,
  },
  getConversation: {
    params: byClient((c) => c.episode.id),
    table: `
                    own   queue colleague foreign missing
      AT AS         200   200   200       200     404
      ST SS         200   200   200       404     404
      OT            404   200   404       404     404
      OS            200   404   404       404     404
      RV EX NO MF BC 401  401   401       401     401`,
  },
  // ── the audit trail ──
  listOperatorLogs: {
    seenThrough: 'getOperatorLog',
    query: 'page_size=100',
    listed: listedLogs,
    table: `
                    own   colleague foreign
      AT AS         in    in        in
      ST SS         in    in        out
      OT            out   out       out
      OS            in    out       out
      RV EX NO MF BC 401  401       401`,
  },
  exportOperatorLogs: {
    seenThrough: 'getOperatorLog',
    listed: listedLogs,
    table: `
                    own   colleague foreign
      AT AS         in    in        in
      ST SS         in    in        out
      OT            out   out       out
      OS            in    out       out
      RV EX NO MF BC 401  401       401`,
  },
  getOperatorLog: {
    params: logParams,
    table: `
                    own   colleague foreign missing
      AT AS         200   200       200     404
      ST SS         200   200       404     404
      OT            404   404       404     404
      OS            200   404       404     404
      RV EX NO MF BC 401  401       401     401`,
  },
  // ── API tokens ──
  listApiTokens: {
    listed: (d) => ({ own: d.tokens.spareA.id, foreign: d.tokens.spareB.id }),
    table: `
                    own   foreign
      AT AS         in    in
      ST SS         403   403
      OT OS         403   403
      RV EX NO MF BC 401  401`,
  },
  createApiToken: {
    body: (d, o) => ({
      name: 'New integration',
      role: 'operator',
      department_ids: [o === 'own' ? d.departmentA.id : d.departmentB.id],
    }),
    table: `
                    own   foreign
      AT AS         201   201
      ST SS         403   403
      OT OS         403   403
      RV EX NO MF BC 401  401`,
  },
  revokeApiToken: {
    params: tokenParams,
    table: `
                    own   foreign missing
      AT AS         200   200     404
      ST SS         403   403     403
      OT OS         403   403     403
      RV EX NO MF BC 401  401     401`,
  },
};

// ─── The table's reader ────────────────────────────────────────────────────────────────────────

type ParsedCell = { caller: CallerName; object: ObjectName; expected: Cell };

/** Reads a table: a header of objects, then rows of callers (one row may name several). */
function parseTable(operationId: string, table: string): { objects: ObjectName[]; cells: ParsedCell[] } {
  const lines = table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  const [header = [], ...rows] = lines;
  const objects = header as ObjectName[];
  const cells: ParsedCell[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const callers = row.slice(0, row.length - objects.length) as CallerName[];
    const values = row.slice(row.length - objects.length);
    for (const caller of callers) {
      if (!CALLER_NAMES.includes(caller)) throw new Error(`${operationId}: unknown caller ${caller}`);
      if (seen.has(caller)) throw new Error(`${operationId}: caller ${caller} has two rows`);
      seen.add(caller);
      values.forEach((value, i) => {
        const expected = /^\d+$/.test(value) ? (Number(value) as Cell) : (value as Cell);
        cells.push({ caller, object: objects[i] as ObjectName, expected });
      });
    }
  }
  const missing = CALLER_NAMES.filter((c) => !seen.has(c));
  if (missing.length > 0) throw new Error(`${operationId}: no row for ${missing.join(', ')}`);
  return { objects, cells };
}

const statusOf = (cell: Cell) => (cell === 'in' || cell === 'out' ? 200 : cell);
const isSuccess = (cell: Cell) => statusOf(cell) < 300;

// ─── Calls ─────────────────────────────────────────────────────────────────────────────────────

type Answer = { status: number; contentType: string; text: string; headers: Headers; userAgent: string };

async function call(d: AuthzDesk, op: ApiOperation, spec: Spec, c: ParsedCell): Promise<Answer> {
  const params = spec.params?.(d, c.object) ?? {};
  const pathname = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${op.operationId}: no ${name} for ${c.object}`);
    return encodeURIComponent(value);
  });
  const credentials = d.credentials[c.caller];
  const userAgent = `authz-matrix/${op.operationId}/${c.caller}/${c.object}/${randomUUID().slice(0, 8)}`;
  const headers = new Headers({ 'user-agent': userAgent });
  if (credentials.token) headers.set('authorization', `Bearer ${credentials.token}`);
  if (credentials.authorization) headers.set('authorization', credentials.authorization);
  if (credentials.cookie) headers.set('cookie', credentials.cookie);
  const body = spec.body?.(d, c.object, c.caller);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${await apiBaseUrl()}${pathname}${spec.query ? `?${spec.query}` : ''}`, {
    method: op.method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
    headers: response.headers,
    userAgent,
  };
}

/** The ids a list answer gives (JSON `results`, or the CSV export's first column). */
function listedIds(answer: Answer): string[] {
  if (answer.contentType.startsWith('text/csv')) {
    const rows = parseCsv(answer.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    return rows.map((r) => String(r.id));
  }
  const body = JSON.parse(answer.text) as { results?: { id: unknown }[] };
  return (body.results ?? []).map((r) => String(r.id));
}

/** The checks every answer gets, whatever the call did. */
function checkAnswer(d: AuthzDesk, op: ApiOperation, spec: Spec, c: ParsedCell, answer: Answer) {
  const where = `${op.operationId} ${c.caller} ${c.object}`;
  expect(answer.status, `${where}: ${answer.text.slice(0, 300)}`).toBe(statusOf(c.expected));
  if (!isSuccess(c.expected)) {
    expect(answer.contentType, where).toBe('application/problem+json');
    expect(JSON.parse(answer.text), where).toMatchObject({ status: answer.status });
  }
  if (answer.status === 401) expect(answer.headers.get('www-authenticate'), where).toMatch(/^Bearer/);
  for (const { label, marker } of hiddenFrom(d, c.caller)) {
    if (answer.text.includes(marker)) throw new Error(`${where}: the answer shows ${label} (${marker})`);
  }
  if (c.expected === 'in' || c.expected === 'out') {
    const id = spec.listed?.(d)[c.object];
    if (!id) throw new Error(`${where}: the spec lists no id for ${c.object}`);
    expect(listedIds(answer).includes(id), `${where}: listed`).toBe(c.expected === 'in');
  }
}

/** 404s (and 403s) of one caller on one operation are word for word alike: nothing tells them apart. */
function checkIndistinguishable(op: ApiOperation, caller: CallerName, answers: Map<ObjectName, Answer>) {
  for (const status of [403, 404]) {
    const bodies = [...answers].filter(([, a]) => a.status === status).map(([o, a]) => [o, a.text] as const);
    for (const [object, text] of bodies.slice(1)) {
      expect(text, `${op.operationId} ${caller}: ${object} answers unlike ${bodies[0]?.[0]}`).toBe(
        bodies[0]?.[1],
      );
    }
  }
}

type AuditRow = {
  action: string;
  actor_type: string;
  operator_id: string | null;
  api_token_id: string | null;
  ip: string | null;
  user_agent: string | null;
};

/** A change must be in the audit trail: by the caller, from its address, with its user agent. */
function checkAudited(d: AuthzDesk, where: string, caller: CallerName, rows: AuditRow[], userAgent: string) {
  const who = d.auditActor[caller];
  const mine = rows.filter((r) => r.user_agent === userAgent);
  expect(mine.length, `${where}: no audit row with the call's user agent`).toBeGreaterThan(0);
  for (const row of mine) {
    expect(row, where).toMatchObject(
      who?.apiTokenId
        ? { actor_type: 'api_token', api_token_id: who.apiTokenId }
        : { actor_type: 'operator', operator_id: who?.operatorId },
    );
    expect(row.ip, `${where}: audit row without the address`).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  }
}

/** The audit rows written after the row `afterId`. */
async function auditRowsAfter(afterId: number): Promise<AuditRow[]> {
  return rowsOf<AuditRow>(
    await db.execute(sql`select action, actor_type, operator_id, api_token_id, ip, user_agent
      from operator_logs where id > ${afterId} order by id`),
  );
}

async function lastAuditId(): Promise<number> {
  const [row] = rowsOf<{ id: string | number | null }>(
    await db.execute(sql`select max(id) as id from operator_logs`),
  );
  return Number(row?.id ?? 0);
}

// ─── The runs ──────────────────────────────────────────────────────────────────────────────────

let db: Db;
let uploadsDir: string;
let storage: FileStorage;
let desk: AuthzDesk;
let built: SavedTables;

beforeAll(async () => {
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-authz-'));
  storage = createLocalStorage(uploadsDir);
  setStorage(storage);
  db = await getTestDb();
  await settleBackgroundWork();
  await resetDb(db);
  desk = await buildAuthzDesk(db, storage);
  built = await saveTables(db);
});

afterAll(() => {
  setStorage(undefined);
  fs.rmSync(uploadsDir, { recursive: true, force: true });
});

/** The desk as it was built (every table put back), with the operation's own preparation. */
async function freshDesk(spec: Spec): Promise<AuthzDesk> {
  await settleBackgroundWork();
  await restoreTables(db, built);
  await spec.prepare?.(db, desk);
  return desk;
}

/**
 * The calls that must change nothing — every refused call, and every read — against one desk:
 * after each caller's row of calls, every table must be as it was. The audit trail's export is
 * a read that records itself: its rows (one per export, by the caller, with its address and user
 * agent) are the only change allowed.
 */
async function runUnchanging(d: AuthzDesk, op: ApiOperation, spec: Spec, cells: ParsedCell[]) {
  let baseline = await fingerprint(db);
  let rows = await tableRows(db);
  const answers = new Map<CallerName, Map<ObjectName, Answer>>();
  for (const [i, c] of cells.entries()) {
    const answer = await call(d, op, spec, c);
    checkAnswer(d, op, spec, c, answer);
    const perCaller = answers.get(c.caller) ?? new Map<ObjectName, Answer>();
    perCaller.set(c.object, answer);
    answers.set(c.caller, perCaller);
    if (cells[i + 1]?.caller === c.caller) continue;
    const now = await fingerprint(db);
    if (Object.keys(now).every((t) => now[t] === baseline[t])) continue;
    const after = await tableRows(db);
    const changes = rowChanges(rows, after);
    const where = `${op.operationId} ${c.caller} (${[...perCaller.keys()].join(', ')})`;
    const exports = cells.filter((x) => x.caller === c.caller && isSuccess(x.expected));
    if (
      op.operationId !== 'exportOperatorLogs' ||
      Object.keys(changes).join() !== 'operator_logs' ||
      changes.operator_logs?.removed.length
    ) {
      throw new Error(`${where} changed ${JSON.stringify(changes, null, 1).slice(0, 2000)}`);
    }
    const added = (changes.operator_logs?.added ?? []).map((r) => JSON.parse(r) as AuditRow);
    expect(
      added.map((r) => r.action),
      where,
    ).toEqual(exports.map(() => 'operator_logs.exported'));
    for (const x of exports) {
      const exported = perCaller.get(x.object);
      if (exported) checkAudited(d, `${where} ${x.object}`, c.caller, added, exported.userAgent);
    }
    baseline = now;
    rows = after;
  }
  for (const [caller, perCaller] of answers) checkIndistinguishable(op, caller, perCaller);
}

/** One caller's successful changes on a desk of its own: each changes something, and is audited. */
async function runChanges(d: AuthzDesk, op: ApiOperation, spec: Spec, cells: ParsedCell[]) {
  for (const c of cells) {
    const where = `${op.operationId} ${c.caller} ${c.object}`;
    const before = await fingerprint(db);
    const auditFrom = await lastAuditId();
    const answer = await call(d, op, spec, c);
    await settleBackgroundWork();
    checkAnswer(d, op, spec, c, answer);
    const after = await fingerprint(db);
    expect(
      Object.keys(after).some((t) => after[t] !== before[t]),
      `${where} changed nothing`,
    ).toBe(true);
    checkAudited(d, where, c.caller, await auditRowsAfter(auditFrom), answer.userAgent);
  }
}

describe('REST API authorization matrix', () => {
  it('has a table for every operation, each consistent with who sees what', () => {
    const ids = apiOperations.map((o) => o.operationId);
    expect(
      ids.filter((id) => !matrix[id]),
      'operations without a table',
    ).toEqual([]);
    expect(
      Object.keys(matrix).filter((id) => !ids.includes(id)),
      'tables without an operation',
    ).toEqual([]);
    const cellsOf = (id: string) => parseTable(id, matrix[id]?.table ?? '').cells;
    const cellAt = (cells: ParsedCell[], caller: CallerName, object: ObjectName) =>
      cells.find((c) => c.caller === caller && c.object === object)?.expected;
    for (const id of ids) {
      const cells = cellsOf(id);
      // Whoever is not authenticated is refused everywhere.
      for (const c of cells.filter((x) => !AUTHENTICATED.includes(x.caller)))
        expect(c.expected, id).toBe(401);
      const via = matrix[id]?.seenThrough;
      for (const caller of AUTHENTICATED) {
        const missing = cellAt(cells, caller, 'missing');
        const crossed = cellAt(cells, caller, 'crossed');
        if (crossed !== undefined) expect(crossed, `${id} ${caller} crossed`).toBe(missing);
        if (!via) continue;
        const seenCells = cellsOf(via);
        for (const c of cells.filter(
          (x) => x.caller === caller && x.object !== 'missing' && x.object !== 'crossed',
        )) {
          const seen = cellAt(seenCells, caller, c.object) === 200;
          const where = `${id} ${caller} ${c.object} (seen through ${via}: ${seen})`;
          if (c.expected === 'in' || c.expected === 'out') expect(c.expected === 'in', where).toBe(seen);
          else if (!seen)
            expect(c.expected === 404 || (c.expected === 403 && missing === 403), where).toBe(true);
        }
      }
    }
  });

  const reads = apiOperations.filter((o) => o.method === 'GET');
  const changes = apiOperations.filter((o) => o.method !== 'GET');

  describe('reads: every call changes nothing (one desk for all)', () => {
    beforeAll(async () => {
      await freshDesk({ table: '' });
    });
    for (const op of reads) {
      it(`${op.method} ${op.path} (${op.operationId})`, async () => {
        const spec = matrix[op.operationId];
        if (!spec) throw new Error(`no table for ${op.operationId}`);
        await runUnchanging(desk, op, spec, parseTable(op.operationId, spec.table).cells);
      });
    }
  });

  describe('changes: refused calls change nothing, allowed ones are audited (a desk per caller)', () => {
    for (const op of changes) {
      it(`${op.method} ${op.path} (${op.operationId})`, async () => {
        const spec = matrix[op.operationId];
        if (!spec) throw new Error(`no table for ${op.operationId}`);
        const { cells } = parseTable(op.operationId, spec.table);
        await freshDesk(spec);
        await runUnchanging(
          desk,
          op,
          spec,
          cells.filter((c) => !isSuccess(c.expected)),
        );
        const allowed = AUTHENTICATED.filter((caller) =>
          cells.some((c) => c.caller === caller && isSuccess(c.expected)),
        );
        for (const [i, caller] of allowed.entries()) {
          // Each caller changes a desk of its own, so one change never decides another's answer.
          if (i > 0) await freshDesk(spec);
          await runChanges(
            desk,
            op,
            spec,
            cells.filter((c) => c.caller === caller && isSuccess(c.expected)),
          );
        }
      });
    }
  });
});

describe('REST API: a change that takes an object out of its caller’s sight', () => {
  it('answers a transfer to another department with the client as it left, not a 404, and without that department’s operator', async () => {
    const d = desk;
    const spec: Spec = {
      table: '',
      params: clientParams,
      body: () => ({ department_id: d.departmentB.id }),
    };
    const op = apiOperations.find((o) => o.operationId === 'transferClient');
    const get = apiOperations.find((o) => o.operationId === 'getClient');
    if (!op || !get) throw new Error('no transferClient or getClient operation');
    for (const caller of ['ST', 'OS'] as const) {
      await freshDesk({ table: '' });
      await db.update(operators).set({ status: 'online' }).where(eq(operators.id, d.people.operatorB.id));
      const cell: ParsedCell = { caller, object: 'own', expected: 200 };
      const answer = await call(d, op, spec, cell);
      checkAnswer(d, op, spec, cell, answer);
      expect(JSON.parse(answer.text), caller).toMatchObject({
        id: d.clients.own.id,
        department_id: d.departmentB.id,
        assigned_operator_id: null,
        assigned_operator_name: null,
      });
      // It happened: operator B has the client now, whom the caller no longer sees.
      const [moved] = await db
        .select({ operatorId: clients.assignedOperatorId })
        .from(clients)
        .where(eq(clients.id, d.clients.own.id));
      expect(moved?.operatorId, caller).toBe(d.people.operatorB.id);
      const again = await call(d, get, { table: '', params: clientParams }, cell);
      expect(again.status, caller).toBe(404);
    }
  });
});

describe('REST API: objects named in a body', () => {
  it('reads an operator the caller may not see, named in an assignment, as one that does not exist', async () => {
    const d = await freshDesk({ table: '' });
    const op = apiOperations.find((o) => o.operationId === 'assignClient');
    if (!op) throw new Error('no assignClient operation');
    const before = await fingerprint(db);
    for (const caller of ['ST', 'SS'] as const) {
      const answers = new Map<ObjectName, Answer>();
      for (const [object, operatorId] of [
        ['foreign', d.people.operatorB.id],
        ['missing', UNKNOWN_ID],
      ] as const) {
        const spec: Spec = { table: '', params: clientParams, body: () => ({ operator_id: operatorId }) };
        const cell: ParsedCell = { caller, object, expected: 404 };
        const answer = await call(d, op, spec, { ...cell, object: 'own' });
        checkAnswer(d, op, spec, { ...cell, object: 'own' }, answer);
        answers.set(object, answer);
      }
      checkIndistinguishable(op, caller, answers);
    }
    const after = await fingerprint(db);
    expect(after).toEqual(before);
  });
});

describe('REST API: list filters that name what the caller may not see', () => {
  it('find nothing, and show nothing of it', async () => {
    const d = await freshDesk({ table: '' });
    const foreign: Record<string, string> = {
      department_id: d.departmentB.id,
      assigned_operator_id: d.people.operatorB.id,
      operator_id: d.people.operatorB.id,
      client_id: d.clients.foreign.id,
      target_id: d.clients.foreign.id,
      api_token_id: d.tokens.spareB.id,
    };
    const lists = ['listClients', 'listMessages', 'listOperators', 'listConversations', 'listOperatorLogs'];
    const before = await fingerprint(db);
    let checked = 0;
    for (const op of apiOperations.filter((o) => lists.includes(o.operationId))) {
      const keys = Object.keys(op.query instanceof z.ZodObject ? op.query.shape : {});
      for (const key of keys.filter((k) => foreign[k])) {
        for (const caller of ['ST', 'SS', 'OT', 'OS'] as const) {
          const spec: Spec = { table: '', query: `${key}=${foreign[key]}&page_size=100` };
          const answer = await call(d, op, spec, { caller, object: 'none', expected: 200 });
          const where = `${op.operationId} ${key} ${caller}`;
          expect(answer.status, `${where}: ${answer.text.slice(0, 200)}`).toBe(200);
          expect(JSON.parse(answer.text), where).toMatchObject({ count: 0, results: [] });
          for (const { label, marker } of hiddenFrom(d, caller)) {
            if (answer.text.includes(marker)) throw new Error(`${where}: the answer shows ${label}`);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
    expect(await fingerprint(db)).toEqual(before);
  });
});
