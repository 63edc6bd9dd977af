import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { departments, type LocalisedTexts, type WorkingHours } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { isOpenAt } from './list-open-departments';

export type DepartmentDto = {
  id: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  isActive: boolean;
  sortOrder: number;
  defaultCapacity: number;
  responseTimeLimitSec: number;
  awayAfterMinutes: number | null;
  offlineAfterMinutes: number | null;
  workingHours: WorkingHours | null;
  /** Within its working hours now (always, without hours). */
  isOpenNow: boolean;
  greeting: LocalisedTexts | null;
  autoReplyQueued: LocalisedTexts | null;
  autoReplyOffHours: LocalisedTexts | null;
  createdAt: string;
  updatedAt: string;
};

export type DepartmentRow = typeof departments.$inferSelect;

export function toDepartmentDto(row: DepartmentRow, now = new Date()): DepartmentDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isDefault: row.isDefault,
    isActive: row.isActive,
    sortOrder: row.sortOrder,
    defaultCapacity: row.defaultCapacity,
    responseTimeLimitSec: row.responseTimeLimitSec,
    awayAfterMinutes: row.awayAfterMinutes,
    offlineAfterMinutes: row.offlineAfterMinutes,
    workingHours: row.workingHours,
    isOpenNow: isOpenAt(row.workingHours, now),
    greeting: row.greeting,
    autoReplyQueued: row.autoReplyQueued,
    autoReplyOffHours: row.autoReplyOffHours,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * One department. Every staff member and token may read every department — names, hours and
 * the bot's texts: transfers go to any department, and nothing here is private. Errors:
 * `forbidden` (not staff), `not_found`.
 */
export async function getDepartmentOrThrow({
  db,
  actor,
  departmentId,
}: {
  db: DbOrTx;
  actor: Actor;
  departmentId: string;
}): Promise<DepartmentDto> {
  if (actor.kind !== 'system') requireStaff(actor);
  const [row] = await db.select().from(departments).where(eq(departments.id, departmentId));
  if (!row) throw new AppError('not_found', 'Department not found.');
  return toDepartmentDto(row);
}
