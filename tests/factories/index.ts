import { randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import {
  departments,
  operatorDepartments,
  operators,
  type OperatorRole,
  type OperatorStatus,
} from '@/db/schema';
import type { OperatorActor } from '@/lib/auth/actor';

let seq = 0;
const next = () => ++seq;

export async function makeDepartment(db: Db, overrides: Partial<typeof departments.$inferInsert> = {}) {
  const [row] = await db
    .insert(departments)
    .values({ name: `Department ${next()}-${randomUUID().slice(0, 6)}`, ...overrides })
    .returning();
  if (!row) throw new Error('department not created');
  return row;
}

export async function makeOperator(
  db: Db,
  options: {
    departmentIds?: string[];
    role?: OperatorRole;
    status?: OperatorStatus;
    capacity?: number;
    name?: string;
    passwordHash?: string | null;
    isActive?: boolean;
  } = {},
) {
  const n = next();
  const [row] = await db
    .insert(operators)
    .values({
      email: `operator${n}-${randomUUID().slice(0, 6)}@example.test`,
      name: options.name ?? `Operator ${n}`,
      role: options.role ?? 'operator',
      status: options.status ?? 'online',
      capacity: options.capacity ?? 10,
      passwordHash: options.passwordHash ?? null,
      isActive: options.isActive ?? true,
    })
    .returning();
  if (!row) throw new Error('operator not created');
  const departmentIds = options.departmentIds ?? [];
  if (departmentIds.length > 0) {
    await db
      .insert(operatorDepartments)
      .values(departmentIds.map((departmentId) => ({ operatorId: row.id, departmentId })));
  }
  return row;
}

export function actorFor(
  operator: { id: string; name: string; role: OperatorRole },
  departmentIds: string[],
): OperatorActor {
  return {
    kind: 'operator',
    operatorId: operator.id,
    name: operator.name,
    role: operator.role,
    departmentIds,
    context: { ip: '203.0.113.7', userAgent: 'vitest' },
  };
}

let updateSeq = 10_000;
// Far from the recording Bot API's ids (1000 up): a chat's message ids are shared by both sides.
let messageSeq = 5_000_000;

/** A private text message Update as Telegram sends it. */
export function textUpdate(
  user: { id: number; first_name?: string; username?: string; language_code?: string },
  text: string,
  overrides: { update_id?: number; message_id?: number } = {},
) {
  return {
    update_id: overrides.update_id ?? updateSeq++,
    message: {
      message_id: overrides.message_id ?? messageSeq++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.first_name ?? 'Test' },
      from: {
        id: user.id,
        is_bot: false,
        first_name: user.first_name ?? 'Test',
        username: user.username,
        language_code: user.language_code,
      },
      text,
    },
  };
}
