import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { departments, type WorkingHours } from '@/db/schema';

/** True when `now` falls inside the working hours (no hours configured = always open). */
export function isOpenAt(hours: WorkingHours | null, now: Date): boolean {
  if (!hours || hours.days.length === 0) return true;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: hours.timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    return true; // an unknown time zone must not close the desk
  }
  const weekday = parts.find((p) => p.type === 'weekday')?.value;
  const time = `${parts.find((p) => p.type === 'hour')?.value}:${parts.find((p) => p.type === 'minute')?.value}`;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(weekday ?? '');
  return hours.days.some((d) => d.day === day && d.from <= time && time < d.to);
}

export type OpenDepartment = { id: string; name: string; greeting: Record<string, string> | null };

/** Active departments open now, in display order: the choices a client is offered. */
export async function listOpenDepartments(db: DbOrTx, now = new Date()): Promise<OpenDepartment[]> {
  const rows = await db
    .select({
      id: departments.id,
      name: departments.name,
      greeting: departments.greeting,
      workingHours: departments.workingHours,
    })
    .from(departments)
    .where(and(eq(departments.isActive, true)))
    .orderBy(asc(departments.sortOrder), asc(departments.name));
  return rows
    .filter((d) => isOpenAt(d.workingHours, now))
    .map(({ id, name, greeting }) => ({ id, name, greeting }));
}
