// Settings (admins): the department form saved through the domain functions, and the bot
// status read from the recording Telegram server.
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { departments, operatorLogs } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { departmentToForm, type DepartmentForm } from '@/lib/departments/department-form';
import { getDepartmentOrThrow } from '@/lib/departments/get-department-or-throw';
import { saveDepartmentForm } from '@/lib/departments/save-department-form';
import { resetEnvCache } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { getBotStatus } from '@/lib/telegram/bot-status';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

async function admin() {
  const operator = await makeOperator(db, { role: 'admin' });
  return actorFor(operator, []);
}

function newForm(overrides: Partial<DepartmentForm> = {}): DepartmentForm {
  return { ...departmentToForm(), ...overrides };
}

describe('saveDepartmentForm', () => {
  it('creates a department with hours and texts, then edits every field, audited', async () => {
    const actor = await admin();
    const created = await saveDepartmentForm({
      db,
      actor,
      input: newForm({
        name: 'Billing',
        description: 'Invoices and refunds',
        defaultCapacity: 4,
        responseTimeLimitSec: 600,
        workingHours: {
          timeZone: 'Europe/Berlin',
          days: ['', '9:00-13:00, 14:00–18:00', '09:00-18:00', '', '', '', ''],
        },
        greeting: [
          { lang: 'default', text: 'Hello!' },
          { lang: 'RU', text: 'Здравствуйте!' },
          { lang: 'de', text: '   ' },
        ],
      }),
    });
    expect(created.created).toBe(true);
    const saved = await getDepartmentOrThrow({ db, actor, departmentId: created.id });
    expect(saved).toMatchObject({
      name: 'Billing',
      description: 'Invoices and refunds',
      isDefault: false,
      isActive: true,
      defaultCapacity: 4,
      responseTimeLimitSec: 600,
      workingHours: {
        timeZone: 'Europe/Berlin',
        days: [
          { day: 1, from: '09:00', to: '13:00' },
          { day: 1, from: '14:00', to: '18:00' },
          { day: 2, from: '09:00', to: '18:00' },
        ],
      },
      greeting: { default: 'Hello!', ru: 'Здравствуйте!' },
      autoReplyQueued: null,
      autoReplyOffHours: null,
    });
    // The form of the saved department shows the same hours and texts back.
    const form = departmentToForm(saved);
    expect(form.workingHours?.days).toEqual(['', '09:00-13:00, 14:00-18:00', '09:00-18:00', '', '', '', '']);
    expect(form.greeting).toEqual([
      { lang: 'default', text: 'Hello!' },
      { lang: 'ru', text: 'Здравствуйте!' },
    ]);

    const edited = await saveDepartmentForm({
      db,
      actor,
      input: {
        ...form,
        name: 'Billing & refunds',
        description: '',
        isDefault: true,
        sortOrder: 3,
        defaultCapacity: 6,
        responseTimeLimitSec: 120,
        workingHours: null,
        greeting: [],
        autoReplyQueued: [{ lang: 'default', text: 'You are in the queue.' }],
        autoReplyOffHours: [{ lang: 'en', text: 'We are closed.' }],
      },
    });
    expect(edited.changed.sort()).toEqual(
      [
        'autoReplyOffHours',
        'autoReplyQueued',
        'defaultCapacity',
        'description',
        'greeting',
        'isDefault',
        'name',
        'responseTimeLimitSec',
        'sortOrder',
        'workingHours',
      ].sort(),
    );
    const [row] = await db.select().from(departments).where(eq(departments.id, created.id));
    expect(row).toMatchObject({
      name: 'Billing & refunds',
      description: null,
      isDefault: true,
      workingHours: null,
      greeting: null,
      autoReplyQueued: { default: 'You are in the queue.' },
      autoReplyOffHours: { en: 'We are closed.' },
    });
    const audit = await db.select().from(operatorLogs).where(eq(operatorLogs.targetId, created.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['department.created', 'department.updated']);
    expect(audit.every((a) => a.operatorId === actor.operatorId)).toBe(true);

    // Saving the same form again changes nothing and records nothing.
    const current = await getDepartmentOrThrow({ db, actor, departmentId: created.id });
    const again = await saveDepartmentForm({ db, actor, input: departmentToForm(current) });
    expect(again.changed).toEqual([]);
    expect(await db.select().from(operatorLogs).where(eq(operatorLogs.targetId, created.id))).toHaveLength(2);
  });

  it('refuses non-admins, badly written hours, empty schedules, a taken name and an inactive default', async () => {
    const actor = await admin();
    const existing = await makeDepartment(db, { name: 'Sales', isDefault: true });
    const supervisor = await makeOperator(db, { role: 'supervisor', departmentIds: [existing.id] });
    await expect(
      saveDepartmentForm({ db, actor: actorFor(supervisor, [existing.id]), input: newForm({ name: 'X' }) }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      saveDepartmentForm({
        db,
        actor,
        input: newForm({
          name: 'X',
          workingHours: { timeZone: 'UTC', days: ['9 to 5', '', '', '', '', '', ''] },
        }),
      }),
    ).rejects.toThrow(/09:00-13:00/);
    await expect(
      saveDepartmentForm({
        db,
        actor,
        input: newForm({ name: 'X', workingHours: { timeZone: 'UTC', days: ['', '', '', '', '', '', ''] } }),
      }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      saveDepartmentForm({
        db,
        actor,
        input: newForm({
          name: 'X',
          workingHours: { timeZone: 'Mars/Olympus', days: ['', '09:00-10:00', '', '', '', '', ''] },
        }),
      }),
    ).rejects.toThrow(/IANA time zone/);
    await expect(saveDepartmentForm({ db, actor, input: newForm({ name: 'sales' }) })).rejects.toMatchObject({
      code: 'conflict',
    });
    const form = departmentToForm(await getDepartmentOrThrow({ db, actor, departmentId: existing.id }));
    const refused = saveDepartmentForm({ db, actor, input: { ...form, isActive: false } });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.select().from(departments)).toHaveLength(1);
  });
});

describe('getBotStatus', () => {
  it('shows the bot and its webhook as Telegram reports them, never the token', async () => {
    const actor = await admin();
    const empty = await getBotStatus({ actor });
    expect(empty).toEqual({
      connected: true,
      bot: { id: 1, username: 'desk_test_bot' },
      webhook: {
        url: '',
        pendingUpdateCount: 0,
        lastErrorAt: null,
        lastErrorMessage: null,
        maxConnections: null,
        allowedUpdates: null,
      },
      errors: [],
    });

    const token = process.env.TELEGRAM_BOT_TOKEN ?? '';
    expect(token).not.toBe('');
    await fetch(`${telegram().url}/bot${token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: 'https://desk.example.com/api/telegram/webhook',
        max_connections: 40,
        allowed_updates: ['message', 'edited_message'],
      }),
    });
    telegram().setWebhookInfo({
      pending_update_count: 7,
      last_error_date: 1_764_500_000,
      last_error_message: `Wrong response from the webhook: 502 Bad Gateway ${token}`,
    });
    const status = await getBotStatus({ actor });
    expect(status).toMatchObject({
      connected: true,
      webhook: {
        url: 'https://desk.example.com/api/telegram/webhook',
        pendingUpdateCount: 7,
        lastErrorAt: new Date(1_764_500_000 * 1000).toISOString(),
        lastErrorMessage: 'Wrong response from the webhook: 502 Bad Gateway <redacted>',
        maxConnections: 40,
        allowedUpdates: ['message', 'edited_message'],
      },
    });
    expect(JSON.stringify(status)).not.toContain(token);
  });

  it('reports a failing call and still shows the other', async () => {
    const actor = await admin();
    telegram().setBehaviour('*', {
      kind: 'error',
      method: 'getWebhookInfo',
      code: 401,
      description: 'Unauthorized',
      times: 1,
    });
    const status = await getBotStatus({ actor });
    expect(status).toEqual({
      connected: true,
      bot: { id: 1, username: 'desk_test_bot' },
      webhook: null,
      errors: [{ method: 'getWebhookInfo', message: 'Unauthorized' }],
    });
  });

  it('says "not connected" without a bot token and refuses non-admins', async () => {
    const actor = await admin();
    const department = await makeDepartment(db);
    const supervisor = await makeOperator(db, { role: 'supervisor', departmentIds: [department.id] });
    await expect(getBotStatus({ actor: actorFor(supervisor, [department.id]) })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const token = process.env.TELEGRAM_BOT_TOKEN;
    process.env.TELEGRAM_BOT_TOKEN = '';
    resetEnvCache();
    try {
      const calls = telegram().calls.length;
      expect(await getBotStatus({ actor })).toEqual({ connected: false });
      expect(telegram().calls.length).toBe(calls);
    } finally {
      process.env.TELEGRAM_BOT_TOKEN = token;
      resetEnvCache();
    }
  });
});
