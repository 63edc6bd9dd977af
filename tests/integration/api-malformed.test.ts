// Malformed requests to every REST API operation — wrong types, missing and unknown fields,
// bodies over the limit, invalid JSON and UTF-8, wrong content types, unknown query parameters,
// bad ordering fields, injection strings, bad ids, out-of-range pages, overlong strings, NUL and
// lone surrogates — generated with fast-check (fixed seeds: every run sends the same requests)
// and written by hand. Each must be answered as a client error in problem+json (with zod's issues
// where a schema refused it), never 500, and change no table. Injection strings in `search` are
// text to search for: they must find nothing and show nothing the caller may not see.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { MAX_BODY_BYTES, type ApiOperation } from '@/lib/api/operation';
import { apiOperations } from '@/lib/api/operations';
import { settleBackgroundWork } from '@/lib/background';
import { resolveClient } from '@/lib/clients/resolve-client';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import { actorFor } from '../factories';
import { apiBaseUrl } from '../support/api-server';
import {
  buildAuthzDesk,
  fingerprint,
  hiddenFrom,
  restoreTables,
  rowChanges,
  saveTables,
  tableRows,
  type AuthzDesk,
  type SavedTables,
} from '../support/authz-desk';
import { getTestDb, resetDb } from '../support/db';

/** One request and what it may be answered. */
type Case = {
  label: string;
  caller: 'AT' | 'AS' | 'ST';
  /** Path and query under /api/v1, already encoded. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
  /** The statuses it may get. */
  expect: number[];
  /** Refused by a schema: the problem carries zod's issues. */
  issues?: boolean;
  /** A search that must find nothing (its text is in no seeded row). */
  findsNothing?: boolean;
};

const SEED = 20_261_130;
const enc = encodeURIComponent;

/** Strings that have broken SQL, JSON or search parsers elsewhere. */
const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE clients; --",
  '") OR 1=1 --',
  "' UNION SELECT password_hash FROM operators --",
  '%',
  'client%own',
  'client_status',
  '%_%\\%',
  ':*',
  '&|!<->',
  '"unterminated',
  '{"$ne": null}',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  "E'\\\\x00'",
  '--',
  '" or "',
  '\u200b\u200b',
  '\u202egnp.exe',
  'e\u0301\u0301\u0301',
  '🙂👍🏽',
];

// ─── Valid requests, to break one thing at a time ─────────────────────────────────────────────

/** Path parameters of a real object the admin sees, by parameter name, for an operation. */
function validParams(d: AuthzDesk, op: ApiOperation): Record<string, string> {
  const own = d.clients.own;
  if (op.path.startsWith('/clients/')) return { id: own.id, message_id: own.reply.id };
  if (op.path.startsWith('/attachments/')) return { id: own.attachment.id };
  if (op.path.startsWith('/departments/')) return { id: d.departmentA.id };
  if (op.path.startsWith('/operators/')) return { id: d.people.operatorA.id };
  if (op.path.startsWith('/conversations/')) return { id: own.episode.id };
  if (op.path.startsWith('/operator-logs/')) return { id: String(d.logs.own) };
  if (op.path.startsWith('/api-tokens/')) return { id: d.tokens.spareA.id };
  return {};
}

/** A body the operation would accept (each test breaks it one way). */
function validBody(d: AuthzDesk, op: ApiOperation): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    updateClient: { status: 'resolved' },
    assignClient: { operator_id: null },
    transferClient: { department_id: d.main.id },
    sendClientMessage: { text: 'Hello' },
    editClientMessage: { text: 'Hello again' },
    createDepartment: { name: 'Returns' },
    updateDepartment: { description: 'Returns and refunds' },
    createOperator: { email: 'new@example.test', name: 'New', password: 'long enough password' },
    updateOperator: { capacity: 7 },
    setOperatorStatus: { status: 'online' },
    createApiToken: { name: 'Integration', role: 'operator', department_ids: [d.departmentA.id] },
  };
  return bodies[op.operationId] ?? {};
}

function pathOf(op: ApiOperation, params: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => enc(params[name] ?? ''));
}

/** The keys and value schemas of an object schema (unwrapping nothing else). */
function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
}

// ─── Generated and written cases ─────────────────────────────────────────────────────────────

function casesFor(d: AuthzDesk, op: ApiOperation, index: number): Case[] {
  const cases: Case[] = [];
  const seed = SEED + index;
  const params = validParams(d, op);
  const base = pathOf(op, params);
  const caller = index % 2 === 0 ? 'AT' : 'AS';
  const add = (c: Omit<Case, 'caller'> & { caller?: Case['caller'] }) => cases.push({ caller, ...c });

  // Ids that are not ids: a resource that does not exist (404), whatever the id looks like.
  for (const name of Object.keys(params).filter((n) => op.path.includes(`{${n}}`))) {
    const bad = ["1' OR '1'='1", '\u0000', `${params[name]}\u200b`, 'x'.repeat(3000)];
    for (const value of bad) {
      add({
        label: `${name}=${JSON.stringify(value.slice(0, 40))}`,
        url: pathOf(op, { ...params, [name]: value }),
        expect: [404],
        ...(op.body
          ? { body: JSON.stringify(validBody(d, op)), headers: { 'content-type': 'application/json' } }
          : {}),
      });
    }
  }

  // Query strings: unknown parameters everywhere, given twice, not UTF-8, NUL.
  const queryKeys = Object.keys(shapeOf(op.query));
  add({ label: 'unknown query parameter', url: `${base}?colour=red`, expect: [400], issues: true });
  add({
    label: 'unknown query parameter, odd Unicode',
    url: `${base}?${enc('\u202eedoc')}=1`,
    expect: [400],
    issues: true,
  });
  add({ label: 'query parameter with NUL', url: `${base}?${enc('a\u0000')}=1`, expect: [400], issues: true });
  add({ label: 'query not UTF-8', url: `${base}?q=%FF%FE`, expect: [400] });
  if (queryKeys[0]) {
    const key = queryKeys[0];
    add({ label: `${key} given twice`, url: `${base}?${key}=1&${key}=2`, expect: [400] });
  }
  if (queryKeys.includes('ordering')) {
    for (const ordering of [
      'password_hash',
      '-password_hash',
      '',
      'created_at;drop table clients',
      "created_at' OR 1=1 --",
      'created_at,id',
      '{"$gt":""}',
      'created_at\u200b',
    ]) {
      add({
        label: `ordering=${JSON.stringify(ordering)}`,
        url: `${base}?ordering=${enc(ordering)}`,
        expect: [400],
        issues: true,
      });
    }
  }
  if (queryKeys.includes('page')) {
    for (const page of ['0', '1.5', '1e9', '１', "1' OR 1=1"]) {
      add({
        label: `page=${JSON.stringify(page)}`,
        url: `${base}?page=${enc(page)}`,
        expect: [400],
        issues: true,
      });
    }
    for (const size of ['0', '101', '10; DROP TABLE messages']) {
      add({
        label: `page_size=${JSON.stringify(size)}`,
        url: `${base}?page_size=${enc(size)}`,
        expect: [400],
        issues: true,
      });
    }
  }
  if (queryKeys.includes('limit')) {
    for (const limit of ['0', '201', '-1', 'ten', '1e9']) {
      add({
        label: `limit=${JSON.stringify(limit)}`,
        url: `${base}?limit=${enc(limit)}`,
        expect: [400],
        issues: true,
      });
    }
  }
  if (queryKeys.includes('search')) {
    for (const search of ['', '\n\t', 'x'.repeat(201), 'a\u0000b']) {
      add({
        label: `search=${JSON.stringify(search.slice(0, 20))}…`,
        url: `${base}?search=${enc(search)}`,
        expect: [400],
        issues: true,
      });
    }
    // A lone surrogate as it would come on the wire (CESU-8 bytes: not UTF-8).
    add({ label: 'search with a lone surrogate', url: `${base}?search=a%ED%A0%80b`, expect: [400] });
    // Injections are text to search for: nothing matches, and the scope still holds (a supervisor's token).
    for (const search of INJECTIONS) {
      add({
        label: `search injection ${JSON.stringify(search)}`,
        caller: 'ST',
        url: `${base}?search=${enc(search)}`,
        expect: [200],
        findsNothing: true,
      });
    }
  }
  // Filters with values of the wrong kind, generated: each refused by the operation's own schema.
  const filters = queryKeys.filter(
    (k) => !['search', 'ordering', 'page', 'page_size', 'cursor', 'limit'].includes(k),
  );
  if (filters.length > 0 && op.query) {
    const query = op.query;
    const arbitrary = fc
      .record({
        key: fc.constantFrom(...filters),
        value: fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.constantFrom(...INJECTIONS, 'yes', 'maybe', '2026-13-45', 'null', '[]', '{}', '-1', '1e400'),
        ),
      })
      .filter(({ key, value }) => !query.safeParse({ [key]: value }).success);
    for (const { key, value } of fc.sample(arbitrary, { seed, numRuns: 5 })) {
      add({
        label: `filter ${key}=${JSON.stringify(value)}`,
        url: `${base}?${key}=${enc(value)}`,
        expect: [400],
        issues: true,
      });
    }
  }

  // Bodies (every operation that changes something; one that takes none refuses one too).
  if (op.method !== 'GET') {
    const json = { 'content-type': 'application/json' };
    const valid = validBody(d, op);
    const text = JSON.stringify(valid);
    for (const type of ['text/plain']) {
      add({
        label: `content-type ${type}`,
        url: base,
        headers: { 'content-type': type },
        body: text,
        expect: [400, 415],
      });
    }
    add({ label: 'JSON without a content type', url: base, body: text, expect: [400, 415] });
    for (const broken of ["{'a':1}", `${text}}`, '[['.repeat(50_000)]) {
      add({
        label: `invalid JSON ${JSON.stringify(broken.slice(0, 12))}`,
        url: base,
        headers: json,
        body: broken,
        expect: [400],
      });
    }
    add({
      label: 'invalid UTF-8',
      url: base,
      headers: json,
      body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
      expect: [400],
    });
    for (const top of ['null', '[]']) {
      add({ label: `body ${top}`, url: base, headers: json, body: top, expect: [422], issues: true });
    }
    const huge = JSON.stringify({ ...valid, padding: 'x'.repeat(MAX_BODY_BYTES) });
    add({ label: 'body over the limit', url: base, headers: json, body: huge, expect: [413] });
    add({
      label: 'body over the limit, streamed without a length',
      url: base,
      headers: json,
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 5; i++)
            controller.enqueue(Buffer.from(huge.slice(i * (huge.length / 5), (i + 1) * (huge.length / 5))));
          controller.close();
        },
      }),
      expect: [413],
    });
    for (const extra of [
      { unknown_field: 1 },
      JSON.parse('{"__proto__": {"role": "admin"}}') as object,
      { 'a\u0000': 1 },
    ]) {
      add({
        label: `unknown field ${Object.keys(extra)[0]}`,
        url: base,
        headers: json,
        body: JSON.stringify({ ...valid, ...extra }),
        expect: [422],
        issues: true,
      });
    }
    const shape = shapeOf(op.body);
    const firstString = Object.keys(valid).find((k) => typeof valid[k] === 'string');
    for (const key of firstString ? [firstString] : []) {
      for (const [what, value] of [
        ['NUL', 'a\u0000b'],
        ['a lone surrogate', 'a\ud800b'],
        ['100,000 characters', 'x'.repeat(100_000)],
      ] as const) {
        add({
          label: `${key} with ${what}`,
          url: base,
          headers: json,
          body: JSON.stringify({ ...valid, [key]: value }),
          expect: [400, 422],
          issues: true,
        });
      }
    }
    const required = Object.keys(shape).filter((k) => !shape[k]?.safeParse(undefined).success);
    if (required.length > 0) {
      add({ label: 'no fields', url: base, headers: json, body: '{}', expect: [422], issues: true });
    }
    // Generated: one field of the valid body replaced by a value of any other kind, and whole
    // bodies of anything — each one its schema refuses.
    const schema = op.body ?? z.object({}).strict();
    const keys = Object.keys(shape);
    if (keys.length > 0) {
      const wrongField = fc
        .record({ key: fc.constantFrom(...keys), value: fc.anything({ maxDepth: 2 }) })
        .map(({ key, value }) => ({ ...valid, [key]: value }))
        .filter((body) => !schema.safeParse(body).success);
      for (const body of fc.sample(wrongField, { seed, numRuns: 4 })) {
        add({
          label: `generated ${JSON.stringify(body).slice(0, 60)}`,
          url: base,
          headers: json,
          body: JSON.stringify(body),
          expect: [400, 422],
          issues: true,
        });
      }
    }
    const anyBody = fc
      .oneof(fc.object({ maxDepth: 2 }), fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 4 }))
      .filter((body) => !schema.safeParse(body).success);
    for (const body of fc.sample(anyBody, { seed: seed + 1, numRuns: 2 })) {
      add({
        label: `generated body ${JSON.stringify(body).slice(0, 60)}`,
        url: base,
        headers: json,
        body: JSON.stringify(body),
        expect: [400, 422],
        issues: true,
      });
    }
  }
  return cases;
}

// ─── The run ──────────────────────────────────────────────────────────────────────────────────

let db: Db;
let uploadsDir: string;
let desk: AuthzDesk;
let built: SavedTables;
let sent = 0;
let refusedSent = 0;

beforeAll(async () => {
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-malformed-'));
  const storage = createLocalStorage(uploadsDir);
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

async function send(method: string, c: Case) {
  const credentials = desk.credentials[c.caller];
  const headers = new Headers(c.headers);
  headers.set('user-agent', `malformed/${randomUUID().slice(0, 8)}`);
  if (credentials.token) headers.set('authorization', `Bearer ${credentials.token}`);
  if (credentials.cookie) headers.set('cookie', credentials.cookie);
  return fetch(`${await apiBaseUrl()}${c.url}`, {
    method,
    headers,
    body: c.body as BodyInit | undefined,
    ...(c.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

describe('REST API: malformed requests', () => {
  for (const [index, op] of apiOperations.entries()) {
    it(`${op.method} ${op.path} (${op.operationId})`, async () => {
      await restoreTables(db, built);
      // Reopening needs a resolved client for the control request below.
      if (op.operationId === 'reopenClient') {
        await db.transaction((tx) =>
          resolveClient({
            tx,
            actor: actorFor(desk.people.admin, []),
            input: { clientId: desk.clients.own.id },
          }),
        );
      }
      const cases = casesFor(desk, op, index);
      let before = await fingerprint(db);
      let rows = await tableRows(db);
      for (const c of cases) {
        const where = `${op.operationId} ${c.label}`;
        const response = await send(op.method, c);
        const text = await response.text();
        sent++;
        expect(c.expect, `${where}: ${response.status} ${text.slice(0, 300)}`).toContain(response.status);
        for (const { label, marker } of hiddenFrom(desk, c.caller)) {
          if (text.includes(marker)) throw new Error(`${where}: the answer shows ${label}`);
        }
        if (c.findsNothing) {
          const found = response.headers.get('content-type')?.startsWith('text/csv')
            ? (parseCsv(text.replace(/^\uFEFF/, ''), { columns: true }) as unknown[])
            : (JSON.parse(text) as { results: unknown[] }).results;
          expect(found, where).toEqual([]);
        } else {
          refusedSent++;
          expect(response.headers.get('content-type'), where).toBe('application/problem+json');
          const problem = JSON.parse(text) as {
            status: number;
            title: string;
            detail: string;
            errors?: { issues?: unknown[] };
          };
          expect(problem, where).toMatchObject({
            status: response.status,
            title: expect.any(String),
            detail: expect.any(String),
          });
          if (c.issues) {
            const issues = problem.errors?.issues;
            expect(
              Array.isArray(issues) && issues.length > 0,
              `${where}: no zod issues in ${text.slice(0, 300)}`,
            ).toBe(true);
          }
        }
        const now = await fingerprint(db);
        if (Object.keys(now).every((t) => now[t] === before[t])) continue;
        const after = await tableRows(db);
        const changes = rowChanges(rows, after);
        // The export records itself in the audit trail: that row is the one change it may make.
        const exported =
          op.operationId === 'exportOperatorLogs' &&
          response.status === 200 &&
          Object.keys(changes).join() === 'operator_logs' &&
          changes.operator_logs?.removed.length === 0 &&
          changes.operator_logs.added.length === 1 &&
          (JSON.parse(changes.operator_logs.added[0] ?? '{}') as { action?: string }).action ===
            'operator_logs.exported';
        if (!exported) throw new Error(`${where} changed ${JSON.stringify(changes).slice(0, 1500)}`);
        before = now;
        rows = after;
      }
      // The control: the same request unbroken is accepted, so each refusal above was for the one
      // thing its case broke.
      const valid = op.method === 'GET' ? undefined : JSON.stringify(validBody(desk, op));
      const control = await send(op.method, {
        label: 'control',
        caller: 'AT',
        url: pathOf(op, validParams(desk, op)),
        expect: [200, 201],
        ...(valid ? { body: valid, headers: { 'content-type': 'application/json' } } : {}),
      });
      expect(
        control.status,
        `${op.operationId} control: ${(await control.text()).slice(0, 300)}`,
      ).toBeLessThan(300);
      await settleBackgroundWork();
    });
  }

  it('sent at least 300 malformed requests', () => {
    console.log(`malformed requests: ${refusedSent}, with the searches for injection strings: ${sent}`);
    expect(refusedSent).toBeGreaterThanOrEqual(300);
    expect(sent).toBeGreaterThan(refusedSent);
  });
});
