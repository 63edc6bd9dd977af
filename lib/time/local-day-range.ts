import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

/** A calendar day as `<input type="date">` gives it: yyyy-mm-dd. */
export const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Midnight starting calendar day `day` (yyyy-mm-dd) in `timeZone` (IANA), as an instant — by
 * Temporal's `startOfDay`, which knows days that begin at 01:00 or last 23/25 hours.
 * @throws RangeError for an unknown time zone or an impossible date.
 */
export function dayStart(day: string, timeZone: string): Date {
  return new Date(Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).epochMilliseconds);
}

/** Midnight of `now`'s calendar day in `timeZone` (IANA), as an instant. */
export function startOfLocalDay(now: Date, timeZone: string): Date {
  return new Date(
    Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).startOfDay()
      .epochMilliseconds,
  );
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
          to: dayStart(Temporal.PlainDate.from(to).add({ days: 1 }).toString(), timeZone),
        }
      : {}),
  };
}

/** The calendar day (yyyy-mm-dd) that `now` falls on in `timeZone` (IANA). */
export function localDayOf(now: Date, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
}

/**
 * The last calendar day in `timeZone` that has ended by `now` (the day before `now`'s local
 * day), with its first instant `start` (inclusive) and the next day's `end` (exclusive) — 23,
 * 24 or 25 hours apart, as daylight saving has it.
 * @throws RangeError for an unknown time zone.
 */
export function previousLocalDay(now: Date, timeZone: string): { day: string; start: Date; end: Date } {
  const today = Temporal.PlainDate.from(localDayOf(now, timeZone));
  const day = today.subtract({ days: 1 }).toString();
  return { day, start: dayStart(day, timeZone), end: dayStart(today.toString(), timeZone) };
}

/** The day range of calendar day `day` (yyyy-mm-dd) in `timeZone`, as previousLocalDay gives it. */
export function localDay(day: string, timeZone: string): { day: string; start: Date; end: Date } {
  const next = Temporal.PlainDate.from(day).add({ days: 1 }).toString();
  return { day, start: dayStart(day, timeZone), end: dayStart(next, timeZone) };
}

/** The calendar day (yyyy-mm-dd) `days` days before `now`'s local day in `timeZone`. */
export function localDaysBefore(now: Date, timeZone: string, days: number): string {
  return Temporal.PlainDate.from(localDayOf(now, timeZone)).subtract({ days }).toString();
}
