// `npm run db:seed`: a living demo desk — departments, operators, clients and conversations.
// Clients and their messages go through the real webhook ingest path, so they are assigned
// exactly as live traffic would be.
import { eq } from 'drizzle-orm';
import { getDbHandle, closeDb } from '@/db/client';
import { operators } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { randomToken } from '@/lib/auth/secrets';
import { createDepartment } from '@/lib/departments/create-department';
import { createOperator } from '@/lib/operators/create-operator';
import { ingestTelegramUpdate } from '@/lib/telegram/ingest-update';
import { drainOutbox } from '@/lib/outbox/outbox-worker';

const ADMIN_EMAIL = process.env.SEED_ADMIN_EMAIL ?? 'admin@example.com';

const conversations: {
  user: { id: number; first_name: string; last_name?: string; username?: string; language_code: string };
  texts: string[];
}[] = [
  {
    user: { id: 900001, first_name: 'Anna', last_name: 'Petrova', username: 'anna_p', language_code: 'ru' },
    texts: ['Здравствуйте! Не могу оплатить заказ картой.', 'Пишет «платёж отклонён».'],
  },
  {
    user: { id: 900002, first_name: 'James', last_name: 'Miller', language_code: 'en' },
    texts: ['Hi, where is my order #4821?'],
  },
  {
    user: { id: 900003, first_name: 'Sofia', username: 'sofia_g', language_code: 'es' },
    texts: ['Hello! Do you ship to Spain?', 'And how long does it take?'],
  },
  {
    user: { id: 900004, first_name: 'Ivan', language_code: 'ru' },
    texts: ['Добрый день, хочу вернуть товар.'],
  },
  {
    user: { id: 900005, first_name: 'Emma', last_name: 'Brown', username: 'emmab', language_code: 'en' },
    texts: ['My promo code does not work :('],
  },
  {
    user: { id: 900006, first_name: 'Li', last_name: 'Wei', language_code: 'zh' },
    texts: ['Can I change the delivery address?'],
  },
];

async function main() {
  const { db, kind } = await getDbHandle();
  const actor = systemActor('seed');
  const [existing] = await db
    .select({ id: operators.id })
    .from(operators)
    .where(eq(operators.email, ADMIN_EMAIL));
  if (existing) {
    console.log(`Already seeded (${ADMIN_EMAIL} exists on ${kind}); nothing changed.`);
    return;
  }
  const password = process.env.SEED_ADMIN_PASSWORD ?? randomToken(9);

  const general = await createDepartment({
    db,
    actor,
    input: { name: 'General', description: 'Everything else', isDefault: true, sortOrder: 0 },
  });
  const billing = await createDepartment({
    db,
    actor,
    input: { name: 'Billing', description: 'Payments and refunds', sortOrder: 1 },
  });
  const delivery = await createDepartment({
    db,
    actor,
    input: { name: 'Delivery', description: 'Shipping and returns', sortOrder: 2 },
  });
  const all = [general.id, billing.id, delivery.id];

  await createOperator({
    db,
    actor,
    input: {
      email: ADMIN_EMAIL,
      name: 'Admin',
      password,
      role: 'admin',
      status: 'offline',
      departmentIds: all,
    },
  });
  await createOperator({
    db,
    actor,
    input: {
      email: 'supervisor@example.com',
      name: 'Sam Supervisor',
      password,
      role: 'supervisor',
      departmentIds: all,
    },
  });
  await createOperator({
    db,
    actor,
    input: {
      email: 'olga@example.com',
      name: 'Olga',
      password,
      status: 'online',
      capacity: 8,
      departmentIds: [general.id, billing.id],
    },
  });
  await createOperator({
    db,
    actor,
    input: {
      email: 'mark@example.com',
      name: 'Mark',
      password,
      status: 'online',
      capacity: 8,
      departmentIds: [general.id, delivery.id],
    },
  });
  await createOperator({
    db,
    actor,
    input: {
      email: 'nina@example.com',
      name: 'Nina',
      password,
      status: 'offline',
      departmentIds: [delivery.id],
    },
  });

  let updateId = Math.floor(Date.now() / 1000);
  let messageId = 1;
  const start = Math.floor(Date.now() / 1000) - 3600;
  for (const [i, c] of conversations.entries()) {
    for (const text of c.texts) {
      await ingestTelegramUpdate({
        db,
        body: {
          update_id: updateId++,
          message: {
            message_id: messageId++,
            date: start + i * 300 + messageId * 10,
            chat: { id: c.user.id, type: 'private', first_name: c.user.first_name },
            from: { ...c.user, is_bot: false },
            text,
          },
        },
      });
    }
  }
  // Auto-replies go out like live ones, through the outbox (or fail visibly when no bot is connected).
  await drainOutbox(async () => db);

  console.log(`Seeded a demo desk on ${kind}: 3 departments, 5 operators, ${conversations.length} clients.`);
  console.log(`Sign in at http://localhost:${process.env.PORT ?? 3000}/login with:`);
  console.log(`  admin       ${ADMIN_EMAIL} / ${password}`);
  console.log(`  supervisor  supervisor@example.com / ${password}`);
  console.log(`  operators   olga@example.com, mark@example.com, nina@example.com / ${password}`);
}

main()
  .catch((error: unknown) => {
    console.error('Seeding failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
