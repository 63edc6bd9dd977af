// The daily-report and operator-stats jobs with a controlled clock: departments in three time
// zones reported for their own previous day, day boundaries (start inclusive, end exclusive),
// idempotent re-runs, the Telegram report to supervisors in their language, and the jobs'
// Inngest functions.
import { InngestTestEngine } from '@inngest/test';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import {
  clients,
  conversations,
  dailyReports,
  departments,
  messages,
  operatorDailyStats,
  operators,
  telegramUsers,
  type WorkingHours,
} from '@/db/schema';
import { jobFunction } from '@/inngest/functions/jobs';
import { settleBackgroundWork } from '@/lib/background';
import { runDailyReports } from '@/lib/jobs/daily-report';
import { runOperatorStats } from '@/lib/jobs/operator-stats';
import { getJobOrThrow } from '@/lib/jobs/registry';
import { runJob } from '@/lib/jobs/run-job';
import { generateDailyReport } from '@/lib/reports/generate-daily-report';
import { getOperatorStats, summarizeOperatorStats } from '@/lib/reports/get-operator-stats';
import { listDailyReports } from '@/lib/reports/list-daily-reports';
import { localDay } from '@/lib/time/local-day-range';
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

afterEach(() => {
  vi.useRealTimers();
});

// 02:30 UTC on 30 November: 11:30 on the 30th in Tokyo (yesterday: the 29th), 18:30 on the
// 29th in Los Angeles (yesterday: the 28th), 02:30 on the 30th in UTC (yesterday: the 29th).
const NOW = new Date('2026-11-30T02:30:00Z');
const at = (iso: string) => new Date(iso);
const hours = (timeZone: string): WorkingHours => ({
  timeZone,
  days: [{ day: 1, from: '09:00', to: '18:00' }],
});

let chatSeq = 770_000_000;
async function client(departmentId: string, createdAt: Date) {
  const chatId = ++chatSeq;
  await db.insert(telegramUsers).values({ id: chatId, firstName: 'C' });
  const [row] = await db
    .insert(clients)
    .values({ telegramUserId: chatId, chatId, displayName: `Client ${chatId}`, departmentId, createdAt })
    .returning();
  if (!row) throw new Error('client not stored');
  return row;
}

async function message(
  c: { id: string; chatId: number },
  createdAt: Date,
  kind: 'inbound' | 'operator' | 'bot' | 'system',
  operatorId?: string,
  conversationId?: string,
) {
  await db.insert(messages).values({
    clientId: c.id,
    conversationId: conversationId ?? null,
    direction: kind === 'inbound' ? 'inbound' : 'outbound',
    senderKind: kind === 'inbound' ? 'client' : kind,
    operatorId: operatorId ?? null,
    text: 'x',
    telegramChatId: c.chatId,
    createdAt,
  });
}

async function episode(values: typeof conversations.$inferInsert) {
  const [row] = await db.insert(conversations).values(values).returning();
  if (!row) throw new Error('conversation not stored');
  return row;
}

/** Three departments in three zones, their people, and a day of activity around the boundaries. */
async function seedDesk() {
  const tokyo = await makeDepartment(db, { name: 'Tokyo desk', workingHours: hours('Asia/Tokyo') });
  const la = await makeDepartment(db, { name: 'LA desk', workingHours: hours('America/Los_Angeles') });
  const plain = await makeDepartment(db, { name: 'No hours' });
  const alice = await makeOperator(db, { name: 'Alice', departmentIds: [tokyo.id] });
  const bob = await makeOperator(db, { name: 'Bob', departmentIds: [tokyo.id, la.id] });
  const supervisorRu = await makeOperator(db, { role: 'supervisor', departmentIds: [tokyo.id] });
  const supervisorNoTelegram = await makeOperator(db, { role: 'supervisor', departmentIds: [tokyo.id] });
  const supervisorEn = await makeOperator(db, { role: 'supervisor', departmentIds: [la.id] });
  await db
    .update(operators)
    .set({ telegramUserId: 5001, locale: 'ru' })
    .where(eq(operators.id, supervisorRu.id));
  await db.update(operators).set({ telegramUserId: 5002 }).where(eq(operators.id, supervisorEn.id));
  // An operator with Telegram gets no report: reports go to supervisors.
  await db
    .update(operators)
    .set({ telegramUserId: 5003, timeZone: 'Asia/Tokyo' })
    .where(eq(operators.id, alice.id));

  // Tokyo's 29 November is [28T15:00Z, 29T15:00Z).
  const c1 = await client(tokyo.id, at('2026-11-28T15:00:00Z')); // first instant: counted
  const c2 = await client(tokyo.id, at('2026-11-29T14:59:59Z')); // last second: counted
  await client(tokyo.id, at('2026-11-29T15:00:00Z')); // the next day
  const c4 = await client(tokyo.id, at('2026-11-28T14:59:59Z')); // the day before

  const conv1 = await episode({
    clientId: c1.id,
    departmentId: tokyo.id,
    operatorId: alice.id,
    status: 'resolved',
    openedAt: at('2026-11-28T15:00:00Z'),
    firstResponseAt: at('2026-11-28T15:02:00Z'), // 120 s
    resolvedAt: at('2026-11-29T03:00:00Z'), // 12 h
    resolvedById: alice.id,
    rating: 5,
  });
  const conv2 = await episode({
    clientId: c2.id,
    departmentId: tokyo.id,
    operatorId: bob.id,
    openedAt: at('2026-11-29T10:00:00Z'),
    firstResponseAt: at('2026-11-29T10:10:00Z'), // 600 s
  });
  await episode({
    clientId: c4.id,
    departmentId: tokyo.id,
    operatorId: alice.id,
    status: 'resolved',
    openedAt: at('2026-11-28T14:00:00Z'),
    firstResponseAt: at('2026-11-28T14:30:00Z'), // answered the day before: not in this day's times
    resolvedAt: at('2026-11-29T14:00:00Z'), // 24 h
    rating: 3,
  });

  await message(c1, at('2026-11-28T15:00:00Z'), 'inbound', undefined, conv1.id);
  await message(c1, at('2026-11-28T15:00:01Z'), 'bot'); // an auto-reply: not the desk's answer
  await message(c1, at('2026-11-28T15:02:00Z'), 'operator', alice.id, conv1.id);
  await message(c2, at('2026-11-29T10:00:00Z'), 'inbound', undefined, conv2.id);
  await message(c2, at('2026-11-29T10:10:00Z'), 'operator', bob.id, conv2.id);
  await message(c2, at('2026-11-29T14:59:59.999Z'), 'system');
  await message(c2, at('2026-11-29T15:00:00Z'), 'inbound'); // Tokyo's 30th
  await message(c4, at('2026-11-28T14:59:59Z'), 'inbound'); // Tokyo's 28th

  // Los Angeles' 28 November is [28T08:00Z, 29T08:00Z): a message Tokyo's day also spans
  // belongs to LA's report only, being an LA client's.
  const la1 = await client(la.id, at('2026-11-28T20:00:00Z'));
  await message(la1, at('2026-11-29T05:00:00Z'), 'inbound');
  await message(la1, at('2026-11-29T07:59:59Z'), 'operator', bob.id);
  await message(la1, at('2026-11-29T08:00:00Z'), 'inbound'); // LA's 29th

  return { tokyo, la, plain, alice, bob, supervisorRu, supervisorNoTelegram, supervisorEn };
}

async function reportOf(departmentId: string) {
  return db.select().from(dailyReports).where(eq(dailyReports.departmentId, departmentId));
}

describe('daily-report', () => {
  it('reports each department’s own previous local day, counting from the first instant up to the next midnight', async () => {
    const desk = await seedDesk();
    expect(await runDailyReports({ db, now: NOW, dryRun: false })).toEqual({
      reported: 3,
      backfilled: 0,
      alreadyReported: 0,
      telegramMessages: 2,
    });

    const [tokyo] = await reportOf(desk.tokyo.id);
    expect(tokyo).toMatchObject({
      day: '2026-11-29',
      timeZone: 'Asia/Tokyo',
      newClients: 2,
      inboundMessages: 2,
      outboundMessages: 3, // two operators' answers and one system message; the auto-reply is not counted
      resolved: 2,
      firstResponseMedianSec: 360, // of 120 and 600
      firstResponseP90Sec: 552, // 120 + 0.9 × 480 (percentile_cont)
      resolutionMedianSec: 64_800, // of 12 h and 24 h
      recipients: 1,
    });
    expect(tokyo?.periodStart.toISOString()).toBe('2026-11-28T15:00:00.000Z');
    expect(tokyo?.periodEnd.toISOString()).toBe('2026-11-29T15:00:00.000Z');
    expect(tokyo?.sentAt?.toISOString()).toBe(NOW.toISOString());
    expect(tokyo?.operators).toEqual([
      { operatorId: desk.alice.id, name: 'Alice', messagesSent: 1, resolved: 2, firstResponseMedianSec: 120 },
      { operatorId: desk.bob.id, name: 'Bob', messagesSent: 1, resolved: 0, firstResponseMedianSec: 600 },
    ]);

    const [la] = await reportOf(desk.la.id);
    expect(la).toMatchObject({
      day: '2026-11-28',
      timeZone: 'America/Los_Angeles',
      newClients: 1,
      inboundMessages: 1,
      outboundMessages: 1,
      resolved: 0,
      firstResponseMedianSec: null,
      resolutionMedianSec: null,
    });
    expect(la?.operators).toEqual([
      { operatorId: desk.bob.id, name: 'Bob', messagesSent: 1, resolved: 0, firstResponseMedianSec: null },
    ]);

    // No working hours: the day is UTC's.
    const [plain] = await reportOf(desk.plain.id);
    expect(plain).toMatchObject({ day: '2026-11-29', timeZone: 'UTC', inboundMessages: 0, recipients: 0 });
    expect(plain?.periodStart.toISOString()).toBe('2026-11-29T00:00:00.000Z');
  });

  it('sends the report to the department’s supervisors with Telegram, each in their language', async () => {
    await seedDesk();
    await runDailyReports({ db, now: NOW, dryRun: false });
    await settleBackgroundWork();
    const sends = telegram().calls.filter((c) => c.method === 'sendMessage');
    expect(sends.map((c) => c.payload.chat_id).sort()).toEqual([5001, 5002]);
    const ru = sends.find((c) => c.payload.chat_id === 5001)?.payload;
    expect(ru?.parse_mode).toBe('HTML');
    expect(ru?.text).toContain('<b>📊 Ежедневный отчёт · Tokyo desk · 2026-11-29</b>');
    expect(ru?.text).toContain('Новые клиенты: 2');
    expect(ru?.text).toContain('Первый ответ: медиана 6 мин, 90% 9 мин');
    expect(ru?.text).toContain('• Alice: сообщений 1, решено 2, первый ответ 2 мин');
    const en = sends.find((c) => c.payload.chat_id === 5002)?.payload;
    expect(en?.text).toContain('<b>📊 Daily report · LA desk · 2026-11-28</b>');
    expect(en?.text).toContain('Messages: 1 in, 1 out');
    expect(en?.text).toContain('First response: median —, 90% —');
  });

  it('runs hourly: a day already reported is left alone, each zone’s next day comes after its own midnight', async () => {
    const desk = await seedDesk();
    await runDailyReports({ db, now: NOW, dryRun: false });
    await settleBackgroundWork();
    telegram().reset();
    // An hour later nothing new has ended anywhere.
    expect(await runDailyReports({ db, now: at('2026-11-30T03:30:00Z'), dryRun: false })).toEqual({
      reported: 0,
      backfilled: 0,
      alreadyReported: 3,
      telegramMessages: 0,
    });
    // 08:30 UTC is 00:30 on the 30th in Los Angeles: its 29th has ended; the others wait.
    expect(await runDailyReports({ db, now: at('2026-11-30T08:30:00Z'), dryRun: false })).toMatchObject({
      reported: 1,
      alreadyReported: 2,
    });
    const la = await db
      .select({ day: dailyReports.day })
      .from(dailyReports)
      .where(eq(dailyReports.departmentId, desk.la.id));
    expect(la.map((r) => r.day).sort()).toEqual(['2026-11-28', '2026-11-29']);
    await settleBackgroundWork();
    expect(
      telegram()
        .calls.filter((c) => c.method === 'sendMessage')
        .map((c) => c.payload.chat_id),
    ).toEqual([5002]);
  });

  it('catches up days missed while the desk was down — stored, not sent — but none before the department existed', async () => {
    const desk = await seedDesk();
    // Tokyo has existed for a month, LA since 25 November in the morning (UTC); the desk was
    // down until NOW, so nobody ran the job for a while.
    await db
      .update(departments)
      .set({ createdAt: at('2026-10-30T00:00:00Z') })
      .where(eq(departments.id, desk.tokyo.id));
    await db
      .update(departments)
      .set({ createdAt: at('2026-11-25T10:00:00Z') })
      .where(eq(departments.id, desk.la.id));
    expect(await runDailyReports({ db, now: NOW, dryRun: false })).toEqual({
      reported: 3,
      backfilled: 6 + 3, // Tokyo: 23–28 November; LA: 25 (it ended after creation), 26, 27
      alreadyReported: 0,
      telegramMessages: 2, // yesterday's reports only
    });
    const days = async (departmentId: string) => (await reportOf(departmentId)).map((r) => r.day).sort();
    expect(await days(desk.tokyo.id)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    expect(await days(desk.la.id)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    // The plain department was created now, after NOW: its previous day only.
    expect(await days(desk.plain.id)).toEqual(['2026-11-29']);
    const backfilled = (await reportOf(desk.tokyo.id)).find((r) => r.day === '2026-11-28');
    expect(backfilled).toMatchObject({ sentAt: null, inboundMessages: 1 }); // c4's message of the 28th
    await settleBackgroundWork();
    expect(telegram().calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    // The next run finds every day there.
    expect(await runDailyReports({ db, now: at('2026-11-30T03:30:00Z'), dryRun: false })).toEqual({
      reported: 0,
      backfilled: 0,
      alreadyReported: 3,
      telegramMessages: 0,
    });
  });

  it('a dry run stores and sends nothing; generating a day again replaces its one row', async () => {
    const desk = await seedDesk();
    expect(await runDailyReports({ db, now: NOW, dryRun: true })).toEqual({
      reported: 3,
      backfilled: 0,
      alreadyReported: 0,
      telegramMessages: 2,
    });
    expect(await db.$count(dailyReports)).toBe(0);
    await settleBackgroundWork();
    expect(telegram().calls).toHaveLength(0);

    await runDailyReports({ db, now: NOW, dryRun: false });
    const c = await client(desk.tokyo.id, at('2026-11-29T12:00:00Z'));
    await message(c, at('2026-11-29T12:00:00Z'), 'inbound');
    const again = await generateDailyReport({
      db,
      departmentId: desk.tokyo.id,
      timeZone: 'Asia/Tokyo',
      ...localDay('2026-11-29', 'Asia/Tokyo'),
      now: at('2026-11-30T05:00:00Z'),
    });
    expect(again).toMatchObject({ newClients: 3, inboundMessages: 3 });
    const rows = await reportOf(desk.tokyo.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ newClients: 3, inboundMessages: 3, recipients: 1 });
    expect(rows[0]?.generatedAt.toISOString()).toBe('2026-11-30T05:00:00.000Z');
  });
});

describe('the Reports page’s list', () => {
  it('shows supervisors their departments’ days in each one’s zone, admins all, refuses operators', async () => {
    const desk = await seedDesk();
    await runDailyReports({ db, now: NOW, dryRun: false });
    await runDailyReports({ db, now: at('2026-11-30T08:30:00Z'), dryRun: false });
    const supervisor = actorFor(desk.supervisorEn, [desk.la.id]);
    const own = await listDailyReports({ db, actor: supervisor, days: 7, now: at('2026-11-30T09:00:00Z') });
    expect(own.departments.map((d) => d.name)).toEqual(['LA desk']);
    expect(own.department).toMatchObject({ id: desk.la.id, timeZone: 'America/Los_Angeles' });
    expect(own.reports.map((r) => [r.day, r.inboundMessages])).toEqual([
      ['2026-11-28', 1],
      ['2026-11-29', 1],
    ]);
    // Another department's id is not a way in: the supervisor gets their own.
    const asked = await listDailyReports({ db, actor: supervisor, departmentId: desk.tokyo.id, days: 7 });
    expect(asked.department?.id).toBe(desk.la.id);
    // The period counts local days back from today: 1 day back from LA's 30th is the 29th.
    const oneDay = await listDailyReports({
      db,
      actor: supervisor,
      days: 1,
      now: at('2026-11-30T09:00:00Z'),
    });
    expect(oneDay.reports.map((r) => r.day)).toEqual(['2026-11-29']);

    const admin = actorFor(await makeOperator(db, { role: 'admin' }), []);
    const all = await listDailyReports({ db, actor: admin, departmentId: desk.tokyo.id, days: 30, now: NOW });
    expect(all.departments).toHaveLength(3);
    expect(all.reports).toHaveLength(1);
    expect(all.reports[0]).toMatchObject({ day: '2026-11-29', newClients: 2, recipients: 1 });
    await expect(
      listDailyReports({ db, actor: actorFor(desk.alice, [desk.tokyo.id]), days: 7 }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('operator-stats', () => {
  it('counts each operator’s previous day in their own time zone, ratings included', async () => {
    const desk = await seedDesk();
    expect(await runOperatorStats({ db, now: NOW, dryRun: false })).toEqual({
      operators: 5,
      alreadyCounted: 0,
    });
    const rows = await db.select().from(operatorDailyStats);
    const of = (id: string) => rows.find((r) => r.operatorId === id);
    // Alice works in Tokyo time: her 29th is [28T15:00Z, 29T15:00Z).
    expect(of(desk.alice.id)).toMatchObject({
      day: '2026-11-29',
      timeZone: 'Asia/Tokyo',
      messagesSent: 1,
      handledConversations: 2, // one she wrote in, one of hers resolved
      firstResponseMedianSec: 120,
      resolutionMedianSec: 64_800,
      ratingsCount: 2,
      ratingAverage: 4,
    });
    // Bob has no time zone: UTC's 29th, [29T00:00Z, 30T00:00Z), holds both his answers.
    expect(of(desk.bob.id)).toMatchObject({
      day: '2026-11-29',
      timeZone: 'UTC',
      messagesSent: 2,
      handledConversations: 1, // the LA answer belongs to no episode
      firstResponseMedianSec: 600,
      resolutionMedianSec: null,
      ratingsCount: 0,
      ratingAverage: null,
    });
    expect(of(desk.supervisorEn.id)).toMatchObject({ messagesSent: 0, handledConversations: 0 });

    // Later that day nothing new has ended; at 00:10 on 1 December in Tokyo, Alice's 30th has.
    expect(await runOperatorStats({ db, now: at('2026-11-30T14:00:00Z'), dryRun: false })).toEqual({
      operators: 0,
      alreadyCounted: 5,
    });
    expect(await runOperatorStats({ db, now: at('2026-11-30T15:10:00Z'), dryRun: true })).toEqual({
      operators: 1,
      alreadyCounted: 4,
    });
    expect(await db.$count(operatorDailyStats)).toBe(5);
  });
});

describe('an operator’s figures (API and Operators page)', () => {
  it('gives each day and the totals to whom may read them, in the operator’s zone', async () => {
    const desk = await seedDesk();
    await runOperatorStats({ db, now: NOW, dryRun: false });
    const later = at('2026-12-01T03:00:00Z');
    const alice = actorFor(desk.alice, [desk.tokyo.id]);
    const own = await getOperatorStats({ db, actor: alice, operatorId: desk.alice.id, days: 7, now: later });
    // Tokyo's today is 1 December: seven days back is 24 November.
    expect(own).toMatchObject({ timeZone: 'Asia/Tokyo', since: '2026-11-24' });
    expect(own.days).toEqual([
      {
        day: '2026-11-29',
        handledConversations: 2,
        messagesSent: 1,
        firstResponseMedianSec: 120,
        resolutionMedianSec: 64_800,
        ratingsCount: 2,
        ratingAverage: 4,
      },
    ]);
    expect(own.totals).toEqual({
      handledConversations: 2,
      messagesSent: 1,
      ratingsCount: 2,
      ratingAverage: 4,
    });
    // A colleague sees Bob on the Operators page but may not read his figures.
    await expect(
      getOperatorStats({ db, actor: alice, operatorId: desk.bob.id, days: 7, now: later }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // A supervisor of another department does not see Alice at all.
    await expect(
      getOperatorStats({
        db,
        actor: actorFor(desk.supervisorEn, [desk.la.id]),
        operatorId: desk.alice.id,
        days: 7,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const supervisor = actorFor(desk.supervisorRu, [desk.tokyo.id]);
    expect(
      (await getOperatorStats({ db, actor: supervisor, operatorId: desk.bob.id, days: 7, now: later }))
        .totals,
    ).toMatchObject({ handledConversations: 1, messagesSent: 2 });

    const ids = [desk.alice.id, desk.bob.id];
    expect(
      Object.keys(await summarizeOperatorStats({ db, actor: alice, operatorIds: ids, days: 7, now: later })),
    ).toEqual([desk.alice.id]);
    const forSupervisor = await summarizeOperatorStats({
      db,
      actor: supervisor,
      operatorIds: ids,
      days: 7,
      now: later,
    });
    expect(forSupervisor[desk.bob.id]).toEqual({
      handledConversations: 1,
      messagesSent: 2,
      ratingsCount: 0,
      ratingAverage: null,
    });
    // A week later the 29th has left Alice's last 7 days.
    const weekLater = await summarizeOperatorStats({
      db,
      actor: supervisor,
      operatorIds: ids,
      days: 7,
      now: at('2026-12-07T03:00:00Z'),
    });
    expect(weekLater[desk.alice.id]).toMatchObject({ handledConversations: 0, messagesSent: 0 });
  });
});

describe('the jobs’ Inngest functions', () => {
  it('daily-report and operator-stats run on their cron tick with the clock at that tick', async () => {
    const desk = await seedDesk();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    for (const name of ['daily-report', 'operator-stats']) {
      const job = getJobOrThrow(name);
      const run = await new InngestTestEngine({
        function: jobFunction(job),
        events: [
          { name: 'inngest/scheduled.timer', data: { cron: `TZ=UTC ${job.schedule}` }, ts: NOW.getTime() },
        ],
      }).execute();
      expect(run.result).toMatchObject({ status: 'succeeded' });
    }
    vi.useRealTimers();
    expect((await reportOf(desk.tokyo.id))[0]).toMatchObject({ day: '2026-11-29', newClients: 2 });
    expect(await db.$count(operatorDailyStats)).toBe(5);
    // The CLI and "run now" go through the same runJob: a manual run in the same hour finds nothing due.
    expect(
      await runJob({ db, job: getJobOrThrow('daily-report'), trigger: 'manual', now: NOW }),
    ).toMatchObject({
      status: 'succeeded',
      result: { reported: 0, alreadyReported: 3 },
    });
  });
});
