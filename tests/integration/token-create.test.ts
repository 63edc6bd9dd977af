// `npm run token:create`: the command's function against the test database (every argument
// rule, the audit row, the token working over HTTP), and the real script in a child process
// against a database of its own (Postgres: the test database; PGlite: a fresh directory).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { apiTokens, operatorLogs } from '@/db/schema';
import { authenticateApiToken } from '@/lib/api-tokens/authenticate-api-token';
import { hashToken } from '@/lib/api-tokens/token-secret';
import { AppError } from '@/lib/errors';
import { parseTokenCreateArgs, tokenCreate, UsageError, type TokenCreated } from '@/scripts/token-create';
import { makeDepartment } from '../factories';
import { api } from '../support/api-desk';
import { getTestDb, resetDb, testDbKind } from '../support/db';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const TOKEN = /tsd_[A-Za-z0-9_-]{43}/g;

let db: Db;

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
});

async function create(argv: string[], now?: Date): Promise<TokenCreated> {
  return tokenCreate({ db, args: parseTokenCreateArgs(argv), now });
}

/** The error `fn` throws (fails the test when it throws none). */
async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected an error, got none');
}

describe('token:create', () => {
  it('creates a supervisor token for departments named by name (any case) or id, audited, shown once', async () => {
    const billing = await makeDepartment(db, { name: 'Billing', isDefault: true });
    const delivery = await makeDepartment(db, { name: 'Delivery' });
    await makeDepartment(db, { name: 'Sales' });
    const now = new Date('2030-01-01T10:00:00Z');
    const { created, report } = await create(
      [
        '--role',
        'supervisor',
        '--department',
        'billing',
        '--department',
        delivery.id,
        '--department',
        'BILLING',
        '--name',
        'Shop back office',
        '--expires-in-days',
        '30',
      ],
      now,
    );
    expect(created).toMatchObject({
      name: 'Shop back office',
      role: 'supervisor',
      departmentIds: [billing.id, delivery.id],
      expiresAt: '2030-01-31T10:00:00.000Z',
    });
    // The report shows the token exactly once, with what identifies it and the warning.
    expect(report.match(TOKEN)).toEqual([created.token]);
    expect(report).toContain(created.id);
    expect(report).toContain(created.prefix);
    expect(report).toMatch(/role\s+supervisor/);
    expect(report).toMatch(/scope\s+Billing, Delivery/);
    expect(report).toMatch(/expires\s+2030-01-31T10:00:00.000Z/);
    expect(report).toMatch(/cannot be shown again/);

    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row?.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const audit = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'api_token.created'), eq(operatorLogs.targetId, created.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'system', actorLabel: 'token:create script' });
    expect(audit[0]?.details).toMatchObject({ role: 'supervisor', departmentIds: [billing.id, delivery.id] });
  });

  it('gives a token that works over HTTP within its departments, until it expires', async () => {
    const billing = await makeDepartment(db, { name: 'Billing', isDefault: true });
    const sales = await makeDepartment(db, { name: 'Sales' });
    const { created } = await create([
      '--role',
      'operator',
      '--department',
      'Billing',
      '--expires-at',
      '2099-12-31T23:00:00+01:00',
    ]);
    expect(created.expiresAt).toBe('2099-12-31T22:00:00.000Z');
    const list = await api(`/clients?department_id=${billing.id}`, { token: created.token });
    expect(list.status).toBe(200);
    const actor = await authenticateApiToken({ db, token: created.token, context: {} });
    expect(actor).toMatchObject({ role: 'operator', departmentIds: [billing.id] });
    expect(actor.departmentIds).not.toContain(sales.id);
    const expired = await failure(() =>
      authenticateApiToken({ db, token: created.token, context: {}, now: new Date('2100-01-01T00:00:00Z') }),
    );
    expect(expired).toBeInstanceOf(AppError);
    expect((expired as AppError).code).toBe('unauthorized');
  });

  it('creates an admin token without departments and without expiry', async () => {
    const { created, report } = await create(['--role', 'admin']);
    expect(created).toMatchObject({
      role: 'admin',
      departmentIds: [],
      expiresAt: null,
      name: 'admin token (CLI)',
    });
    expect(report).toMatch(/scope\s+every department \(admin\)/);
    expect(report).toMatch(/expires\s+never/);
    expect((await api('/departments', { token: created.token })).status).toBe(200);
  });

  it('refuses bad arguments with a message saying what to fix, and creates nothing', async () => {
    await makeDepartment(db, { name: 'Billing', isDefault: true });
    await makeDepartment(db, { name: 'Delivery' });
    const cases: [string[], RegExp][] = [
      [[], /--role is required/],
      [
        ['--role', 'boss', '--department', 'Billing'],
        /--role must be admin, supervisor or operator, not "boss"/,
      ],
      [['--role', 'supervisor'], /A supervisor token needs at least one --department/],
      [['--role', 'admin', '--department', 'Billing'], /leave out --department/],
      [['--role', 'operator', '--department', 'Billing', '--colour', 'red'], /Unknown option '--colour'/],
      [['--role', 'operator', '--department', 'Billing', 'extra'], /extra/],
      [['--role', 'operator', '--department'], /--department/],
      [['--role', 'operator', '--department', 'Billing', '--expires-in-days', 'soon'], /whole number/],
      [['--role', 'operator', '--department', 'Billing', '--expires-in-days', '0'], /at least 1/],
      [['--role', 'operator', '--department', 'Billing', '--expires-at', '31.01.2030'], /ISO 8601/],
      [
        [
          '--role',
          'operator',
          '--department',
          'Billing',
          '--expires-in-days',
          '3',
          '--expires-at',
          '2030-01-01T00:00:00Z',
        ],
        /not both/,
      ],
      [['--role', 'operator', '--department', 'Billing', '--name', ' '], /--name must not be empty/],
    ];
    for (const [argv, message] of cases) {
      const error = await failure(() => create(argv));
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect(error.message, argv.join(' ')).toMatch(message);
    }
    expect(await db.select().from(apiTokens)).toHaveLength(0);
  });

  it('names unknown departments and lists the ones that exist; an expiry in the past is refused', async () => {
    await makeDepartment(db, { name: 'Billing', isDefault: true, sortOrder: 0 });
    await makeDepartment(db, { name: 'Delivery', sortOrder: 1 });
    const unknown = await failure(() =>
      create([
        '--role',
        'supervisor',
        '--department',
        'Billing',
        '--department',
        'Sales',
        '--department',
        '00000000-0000-4000-8000-000000000000',
      ]),
    );
    expect(unknown).toBeInstanceOf(UsageError);
    expect(unknown.message).toBe(
      'Unknown departments: "Sales", "00000000-0000-4000-8000-000000000000". Departments: Billing, Delivery.',
    );
    const past = await failure(() =>
      create(['--role', 'operator', '--department', 'Billing', '--expires-at', '2020-01-01T00:00:00Z']),
    );
    expect(past).toBeInstanceOf(AppError);
    expect(past.message).toMatch(/expiry must be in the future/);
    expect(await db.select().from(apiTokens)).toHaveLength(0);
    expect(
      await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'api_token.created')),
    ).toHaveLength(0);
  });
});

describe('token:create as a command', () => {
  it('prints the token once and exits 0; bad input exits 1 with the reason on stderr and prints no token', async () => {
    // The child's own database: the test database on Postgres; on PGlite a directory of its own
    // (the test's in-memory database cannot be shared), read here after the child has exited.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-create-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: path.join(dir, 'pglite') };
    if (testDbKind() === 'pglite') delete env.DATABASE_URL;
    const tsx = path.join(root, 'node_modules/.bin/tsx');
    const script = path.join(root, 'scripts/token-create.ts');
    const command = async (args: string[]) => {
      try {
        const { stdout, stderr } = await run(tsx, [script, ...args], { cwd: root, env });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    };
    try {
      const ok = await command(['--role', 'admin', '--name', 'From the shell']);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      const printed = ok.stdout.match(TOKEN) ?? [];
      expect(printed).toHaveLength(1);
      expect(ok.stdout).toMatch(/cannot be shown again/);

      const badRole = await command(['--role', 'root']);
      expect(badRole.code).toBe(1);
      expect(badRole.stderr).toMatch(/--role must be admin, supervisor or operator, not "root"/);
      expect(badRole.stdout).toBe('');

      const badDepartment = await command(['--role', 'supervisor', '--department', 'Nowhere']);
      expect(badDepartment.code).toBe(1);
      expect(badDepartment.stderr).toMatch(/Unknown department: "Nowhere"/);
      expect(badDepartment.stdout).toBe('');

      const help = await command(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: npm run token:create/);

      // The printed token is the one stored (hashed), made by the script as the system actor.
      const handle = testDbKind() === 'pglite' ? await openDb({ pgliteDir: env.PGLITE_DIR }) : null;
      try {
        const childDb = handle?.db ?? db;
        const rows = await childDb.select().from(apiTokens);
        expect(rows.map((r) => [r.name, r.role, r.tokenHash])).toEqual([
          ['From the shell', 'admin', hashToken(printed[0] ?? '')],
        ]);
        const audit = await childDb
          .select()
          .from(operatorLogs)
          .where(eq(operatorLogs.action, 'api_token.created'));
        expect(audit.map((a) => a.actorLabel)).toEqual(['token:create script']);
      } finally {
        await handle?.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
