// bench:jobs scenario `archive`: archive-old-messages moving messages to the local directory
// storage, against the target of 50,000 messages/s (Postgres). Self-contained: it seeds
// its own desk with generate_series, and measures in the same run a baseline — the same rows
// exported as JSON lines and gzipped into one file, without the job's grouping, read-back
// checks, bookkeeping and delete — so a figure taken on a busy machine can still be compared.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDb } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { systemActor } from '@/lib/auth/actor';
import { archiveOldMessages } from '@/lib/jobs/archive-old-messages';
import { restoreArchivedMessages } from '@/lib/messages/restore-archived-messages';
import { createLocalStorage } from '@/lib/storage/local-storage';
import { cpuSeconds } from './lib-cpu';
import { prepareDatabase } from './lib-db';
import type { JobScenario } from './lib-jobs';

const TARGET_PER_SECOND = 50_000;
/** The run's clock: the seeded episodes were resolved 400 days before it (the setting is 180). */
const NOW = new Date('2026-11-30T03:41:00Z');
const TELEGRAM_ID_BASE = 3_000_000_000;

/**
 * The desk: `clients` clients, each with one episode resolved 400 days before NOW holding
 * `messages / clients` messages over its 60 days (inbound and outbound alternating, Russian and
 * English text, the Telegram payload of inbound ones), 5 % of them edited once, 5 % with a photo
 * row; and one open episode with one message from yesterday, so that every old message is
 * archivable (the job keeps each client's newest message hot). Returns the old messages' count.
 */
async function seed(url: string, clients: number, messages: number): Promise<number> {
  await prepareDatabase(url, { operators: 1, capacity: 1 });
  const db = postgres(url, { max: 1, onnotice: () => {} });
  const per = Math.max(1, Math.floor(messages / clients));
  const now = NOW.toISOString();
  try {
    await db.begin(async (tx) => {
      const [department] = await tx<{ id: string }[]>`select id from departments limit 1`;
      const [operator] = await tx<{ id: string }[]>`select id from operators limit 1`;
      if (!department || !operator) throw new Error('prepareDatabase seeded no department or operator');
      await tx`insert into telegram_users (id, first_name)
        select ${TELEGRAM_ID_BASE}::bigint + g, 'Client ' || g from generate_series(1, ${clients}::int) g`;
      /* eslint-disable no-restricted-syntax -- a bench filling an empty database, not a client's state change */
      await tx`insert into clients (telegram_user_id, chat_id, display_name, status, department_id,
          assigned_operator_id, last_message_at, last_inbound_at, created_at)
        select ${TELEGRAM_ID_BASE}::bigint + g, ${TELEGRAM_ID_BASE}::bigint + g, 'Client ' || g, 'in_progress',
          ${department.id}, ${operator.id}, ${now}::timestamptz - interval '1 day',
          ${now}::timestamptz - interval '1 day', ${now}::timestamptz - interval '500 days'
        from generate_series(1, ${clients}::int) g`;
      /* eslint-enable no-restricted-syntax */
      await tx`insert into conversations (client_id, department_id, operator_id, status, opened_at,
          first_response_at, resolved_at, resolved_by_id, rating)
        select id, ${department.id}, ${operator.id}, 'resolved', ${now}::timestamptz - interval '460 days',
          ${now}::timestamptz - interval '460 days' + interval '5 minutes',
          ${now}::timestamptz - interval '400 days', ${operator.id}, 5
        from clients`;
      await tx`insert into conversations (client_id, department_id, operator_id, status, opened_at)
        select id, ${department.id}, ${operator.id}, 'open', ${now}::timestamptz - interval '1 day' from clients`;
      await tx`insert into messages (client_id, conversation_id, direction, sender_kind, operator_id,
          text, telegram_payload, telegram_chat_id, telegram_message_id, delivery_status,
          delivered_at, sent_at_telegram, created_at)
        select cv.client_id, cv.id,
          case when i % 2 = 1 then 'inbound' else 'outbound' end::message_direction,
          case when i % 2 = 1 then 'client' else 'operator' end::sender_kind,
          case when i % 2 = 1 then null else ${operator.id}::uuid end,
          case when i % 3 = 0
            then 'Здравствуйте! Мой заказ № ' || (100000 + i) || ' до сих пор не пришёл, подскажите, пожалуйста, когда ждать доставку?'
            else 'Hello, order #' || (100000 + i) || ' — thanks, we have checked it and the courier will call you tomorrow morning.' end,
          case when i % 2 = 1 then jsonb_build_object('message_id', i, 'date', 1700000000 + i,
            'chat', jsonb_build_object('id', cl.chat_id, 'type', 'private'), 'text', 'hello') end,
          cl.chat_id, i,
          case when i % 2 = 1 then null else 'sent' end::delivery_status,
          case when i % 2 = 1 then null
            else ${now}::timestamptz - interval '460 days' + i * (interval '60 days' / ${per}::int) end,
          case when i % 2 = 1
            then ${now}::timestamptz - interval '460 days' + i * (interval '60 days' / ${per}::int) end,
          ${now}::timestamptz - interval '460 days' + i * (interval '60 days' / ${per}::int)
        from conversations cv join clients cl on cl.id = cv.client_id
        cross join generate_series(1, ${per}::int) i
        where cv.status = 'resolved'`;
      await tx`insert into messages (client_id, conversation_id, direction, sender_kind, text,
          telegram_chat_id, telegram_message_id, created_at)
        select cv.client_id, cv.id, 'inbound', 'client', 'Hello again', cl.chat_id, ${per + 1}::int,
          ${now}::timestamptz - interval '1 day'
        from conversations cv join clients cl on cl.id = cv.client_id where cv.status = 'open'`;
      await tx`insert into message_edits (message_id, text, edited_at)
        select id, 'an earlier version', created_at + interval '1 minute'
        from messages where telegram_message_id % 20 = 3 and telegram_message_id <= ${per}`;
      await tx`insert into attachments (message_id, kind, file_name, mime_type, size_bytes, width,
          height, storage_key, status, telegram_file_id, created_at)
        select id, 'photo', 'photo.jpg', 'image/jpeg', 123456, 1280, 960,
          'attachments/2025/08/' || id || '/photo.jpg', 'stored', 'AgACAgIAAxkBAAI' || id, created_at
        from messages where telegram_message_id % 20 = 7 and telegram_message_id <= ${per}`;
    });
    await db`vacuum (analyze) messages, message_edits, attachments, conversations, clients`;
  } finally {
    await db.end();
  }
  return clients * per;
}

const gzipAsync = promisify(gzip);

/** Postgres backends serving this database now (their CPU is the database's share). */
async function backendPids(db: Awaited<ReturnType<typeof openDb>>['db']): Promise<Set<number>> {
  const rows = rowsOf<{ pid: number }>(
    await db.execute(sql`select pid from pg_stat_activity where datname = current_database()`),
  );
  return new Set(rows.map((r) => Number(r.pid)));
}

const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms);
const fmt = (n: number) => n.toLocaleString('en-US');

export const archiveScenario: JobScenario = {
  name: 'archive',
  what: `archive-old-messages to the local directory, target ≥ ${fmt(TARGET_PER_SECOND)} messages/s`,
  options: {
    'archive-messages': { help: 'old messages to seed', default: 200_000 },
    'archive-clients': { help: 'clients they belong to', default: 2_000 },
  },
  async run({ databaseUrl, rounds, option }) {
    const lines: string[] = [];
    let correct = true;
    const seedStarted = performance.now();
    const seeded = await seed(databaseUrl, option('archive-clients'), option('archive-messages'));
    lines.push(
      `seeded ${fmt(seeded)} old messages of ${fmt(option('archive-clients'))} clients in ` +
        `${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );
    const handle = await openDb({ databaseUrl });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-archive-'));
    const storage = createLocalStorage(dir);
    try {
      const { db } = handle;
      for (let round = 1; round <= rounds; round += 1) {
        // Baseline: the same rows as JSON lines through gzip into one file, nothing else.
        let started = performance.now();
        const exported = rowsOf<{ line: string }>(
          await db.execute(sql`
            select to_jsonb(m)::text as line from messages m
            join conversations cv on cv.id = m.conversation_id
            where cv.status = 'resolved' and cv.resolved_at < ${NOW.toISOString()}::timestamptz - interval '180 days'`),
        );
        fs.writeFileSync(
          path.join(dir, 'baseline.jsonl.gz'),
          await gzipAsync(exported.map((r) => r.line).join('\n')),
        );
        const baselineMs = performance.now() - started;

        const pidsBefore = await backendPids(db);
        const pgBefore = cpuSeconds({ pids: pidsBefore });
        const nodeBefore = process.cpuUsage();
        started = performance.now();
        const result = await archiveOldMessages({ db, now: NOW, dryRun: false }, { storage });
        const jobMs = performance.now() - started;
        const node = process.cpuUsage(nodeBefore);
        const pg = cpuSeconds({ pids: await backendPids(db) }) - pgBefore;
        const archived = Number(result.messages);
        const [left] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from messages`));
        const [listed] = rowsOf<{ n: number }>(
          await db.execute(sql`select coalesce(sum(message_count), 0)::int as n from message_archives`),
        );
        const right =
          archived === seeded &&
          exported.length === seeded &&
          left?.n === option('archive-clients') &&
          listed?.n === seeded;
        if (!right) correct = false;
        const rate = perSecond(archived, jobMs);
        lines.push(
          `round ${round}: archived ${fmt(archived)} messages (${fmt(Number(result.edits))} edits, ` +
            `${fmt(Number(result.attachments))} attachment rows) into ${fmt(Number(result.files))} files, ` +
            `${(Number(result.bytes) / 1e6).toFixed(1)} MB, in ${(jobMs / 1000).toFixed(2)} s = ` +
            `${fmt(rate)} messages/s — ${rate >= TARGET_PER_SECOND ? 'PASS' : 'MISS'} (target ${fmt(TARGET_PER_SECOND)})` +
            (right ? '' : ' — COUNTS WRONG'),
          `  baseline (export + gzip, one file, no checks, no delete): ${(baselineMs / 1000).toFixed(2)} s = ` +
            `${fmt(perSecond(exported.length, baselineMs))} messages/s; job/baseline time ${(jobMs / baselineMs).toFixed(2)}×`,
          `  cpu: node ${((node.user + node.system) / 1e6).toFixed(1)} s, postgres ${pg.toFixed(1)} s ` +
            `(load avg ${os.loadavg()[0]?.toFixed(1) ?? '?'} on ${os.cpus().length} cores)`,
        );
        // Put everything back for the next round, and check it all came back.
        started = performance.now();
        const restored = await restoreArchivedMessages({ db, actor: systemActor('bench'), storage });
        const restoreMs = performance.now() - started;
        const [back] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from messages`));
        if (restored.messages !== seeded || back?.n !== seeded + option('archive-clients')) correct = false;
        lines.push(
          `  restore: ${fmt(restored.messages)} messages from ${fmt(restored.files)} files in ` +
            `${(restoreMs / 1000).toFixed(2)} s = ${fmt(perSecond(restored.messages, restoreMs))} messages/s`,
        );
        await db.execute(sql`vacuum (analyze) messages, message_edits, attachments`);
      }
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return { lines, correct };
  },
};
