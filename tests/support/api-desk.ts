// A small desk seen from the REST API: two departments and one person of each role the API
// tests check (admin, supervisor of the department, supervisor of another department,
// operator), each with a session cookie, and API tokens by role and departments.
import type { Db } from '@/db/client';
import type { OperatorRole } from '@/db/schema';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { systemActor } from '@/lib/auth/actor';
import { makeDepartment, makeOperator } from '../factories';
import { apiBaseUrl, sessionCookie } from './api-server';

export type ApiAnswer = {
  status: number;
  headers: Headers;
  /** The parsed JSON body (null when empty). */
  body: Record<string, unknown> | null;
  text: string;
};

export type Caller = { token?: string; cookie?: string };

/** One HTTP request to the API as `caller`; a JSON body when `json` is given. */
export async function api(
  path: string,
  caller: Caller,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers = new Headers(init.headers);
  if (caller.token) headers.set('authorization', `Bearer ${caller.token}`);
  if (caller.cookie) headers.set('cookie', caller.cookie);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${await apiBaseUrl()}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : null;
  return { status: response.status, headers: response.headers, body: json as ApiAnswer['body'], text };
}

/** The `results` of a list answer. */
export function results<T = Record<string, unknown>>(answer: ApiAnswer): T[] {
  return (answer.body?.results ?? []) as T[];
}

/** An API token created by the system actor. */
export async function apiToken(db: Db, role: OperatorRole, departmentIds: string[] = []): Promise<string> {
  return (
    await createApiToken({
      db,
      actor: systemActor('test'),
      input: { name: `${role} token`, role, departmentIds },
    })
  ).token;
}

type Person = Awaited<ReturnType<typeof makeOperator>> & Caller;

async function person(db: Db, options: Parameters<typeof makeOperator>[1]): Promise<Person> {
  const operator = await makeOperator(db, options);
  return { ...operator, cookie: await sessionCookie(operator) };
}

/**
 * Department A (the default) and B; `admin`; `supervisorA`/`supervisorB`; `operatorA`,
 * `colleagueA` (also in A) and `operatorB`; tokens: `adminToken`, `operatorTokenA` (an operator
 * token of A). People have session cookies (`cookie`).
 */
export async function makeApiDesk(db: Db) {
  const departmentA = await makeDepartment(db, { isDefault: true, name: `Alpha ${Date.now()}` });
  const departmentB = await makeDepartment(db, { name: `Beta ${Date.now()}` });
  const admin = await person(db, { role: 'admin', name: 'Ada Admin' });
  const supervisorA = await person(db, {
    role: 'supervisor',
    departmentIds: [departmentA.id],
    name: 'Sue A',
  });
  const supervisorB = await person(db, {
    role: 'supervisor',
    departmentIds: [departmentB.id],
    name: 'Sam B',
  });
  const operatorA = await person(db, { departmentIds: [departmentA.id], name: 'Olga A' });
  const colleagueA = await person(db, { departmentIds: [departmentA.id], name: 'Carl A' });
  const operatorB = await person(db, { departmentIds: [departmentB.id], name: 'Boris B' });
  return {
    departmentA,
    departmentB,
    admin,
    supervisorA,
    supervisorB,
    operatorA,
    colleagueA,
    operatorB,
    adminToken: { token: await apiToken(db, 'admin') },
    operatorTokenA: { token: await apiToken(db, 'operator', [departmentA.id]) },
  };
}

/** Asserts a problem+json answer with this status. */
export function expectProblem(answer: ApiAnswer, status: number): void {
  if (answer.status !== status || answer.headers.get('content-type') !== 'application/problem+json') {
    throw new Error(
      `expected a ${status} problem+json, got ${answer.status} ${answer.headers.get('content-type')}: ${answer.text.slice(0, 300)}`,
    );
  }
}
