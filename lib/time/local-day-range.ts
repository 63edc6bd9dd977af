import { z } from 'zod';

/** A calendar day as `<input type="date">` gives it: yyyy-mm-dd. */
export const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * Midnight starting calendar day `day` (yyyy-mm-dd) in `timeZone` (IANA). The offset is read
 * at the midnight itself (a first guess, then corrected once), not at another hour of the day:
 * on a daylight-saving day the two differ by an hour.
 */
function dayStart(day: string, timeZone: string): Date {
  const wallMidnight = Date.parse(`${day}T00:00:00Z`);
  const guess = wallMidnight - offsetAt(wallMidnight, timeZone);
  return new Date(wallMidnight - offsetAt(guess, timeZone));
}

/**
 * A range of whole calendar days in the viewer's time zone as instants: `from` is the first
 * day's midnight (inclusive), `to` the midnight after the last day (exclusive) — the next day's
 * midnight, so a day of 23 or 25 hours (a daylight-saving change) is covered exactly. Either end
 * may be missing.
 */
export function localDayRange(
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): { from?: Date; to?: Date } {
  return {
    ...(from ? { from: dayStart(from, timeZone) } : {}),
    ...(to
      ? {
          to: dayStart(
            new Date(Date.parse(`${to}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
            timeZone,
          ),
        }
      : {}),
  };
}
