// Working hours: the SQL rule the webhook's queue statement uses (desk_department_open) agrees
// with isOpenAt on any hours, time zone and instant; a client queued outside the hours gets the
// department's out-of-hours text (or the built-in one), inside them the queue text.
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { departments, messages, type WorkingHours } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { isOpenAt } from '@/lib/departments/list-open-departments';
import { makeDepartment, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

const ZONES = [
  'UTC',
  'Europe/Moscow',
  'America/New_York',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Europe/Berlin',
];
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const hoursArb: fc.Arbitrary<WorkingHours> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  days: fc.array(
    fc
      .tuple(fc.integer({ min: 0, max: 6 }), hhmm, hhmm)
      .map(([day, a, b]) => ({ day, from: a < b ? a : b, to: a < b ? b : a })),
    { maxLength: 6 },
  ),
});

async function openInSql(hours: WorkingHours | null, at: Date): Promise<boolean> {
  const [row] = rowsOf<{ open: boolean }>(
    await db.execute(
      sql`select desk_department_open(${hours ? JSON.stringify(hours) : null}::jsonb, ${at.toISOString()}::timestamptz) as open`,
    ),
  );
  return row?.open === true;
}

describe('working hours', () => {
  it('desk_department_open agrees with isOpenAt (200 random hours and instants, DST included)', async () => {
    await fc.assert(
      fc.asyncProperty(
        hoursArb,
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: new Date('2027-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        async (hours, at) => {
          expect(await openInSql(hours, at)).toBe(isOpenAt(hours, at));
        },
      ),
      { numRuns: 200 },
    );
    expect(await openInSql(null, new Date())).toBe(true);
    expect(
      await openInSql(
        { timeZone: 'Mars/Olympus', days: [{ day: 1, from: '09:00', to: '10:00' }] },
        new Date(),
      ),
    ).toBe(true);
  });

  it('a client queued outside the hours gets the out-of-hours text; inside them, the queue text', async () => {
    const now = new Date();
    const today = now.getUTCDay();
    const closed: WorkingHours = {
      timeZone: 'UTC',
      days: [{ day: (today + 3) % 7, from: '00:00', to: '23:59' }],
    };
    const department = await makeDepartment(db, {
      isDefault: true,
      workingHours: closed,
      autoReplyOffHours: { default: 'We are closed; back on Monday at 9.' },
    });
    await postUpdate(textUpdate({ id: 882_001 }, 'hello?'));
    await settleBackgroundWork();
    const texts = async () =>
      (await db.select({ text: messages.text }).from(messages).where(eq(messages.senderKind, 'bot'))).map(
        (m) => m.text,
      );
    expect(await texts()).toEqual(['We are closed; back on Monday at 9.']);

    await db.update(departments).set({ autoReplyOffHours: null }).where(eq(departments.id, department.id));
    await postUpdate(textUpdate({ id: 882_002, language_code: 'ru' }, 'привет'));
    await settleBackgroundWork();
    expect((await texts())[1]).toBe(
      'Спасибо за сообщение! Сейчас мы не работаем — оператор ответит, как только мы откроемся.',
    );

    const open: WorkingHours = {
      timeZone: 'UTC',
      days: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })),
    };
    await db.update(departments).set({ workingHours: open }).where(eq(departments.id, department.id));
    await postUpdate(textUpdate({ id: 882_003 }, 'hi'));
    await settleBackgroundWork();
    expect((await texts())[2]).toMatch(/^Thank you for your message! All our operators are busy/);
  });
});
