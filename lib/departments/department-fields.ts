import { z } from 'zod';
import type { LocalisedTexts, WorkingHours } from '@/db/schema';

/**
 * The validators of a department's settings, shared by the domain functions and the REST API's
 * snake_case bodies (so a body the API accepted never fails again in the domain).
 */

/** True for an IANA time zone name the runtime knows (`Europe/Berlin`, `UTC`), per Intl. */
export function isIanaTimeZone(zone: string): boolean {
  // Names only: Intl would also take offsets such as "+01:00", which are not zones (no DST).
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, 'Not a known IANA time zone (e.g. Europe/Berlin).');

const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'A time of day as HH:MM, from 00:00 to 24:00.');

/** One opening interval: `day` 0 = Sunday … 6 = Saturday, `from` < `to` (HH:MM, `to` may be 24:00). */
export const workingDaySchema = z
  .object({
    day: z.number().int().min(0).max(6).meta({ description: '0 = Sunday … 6 = Saturday.' }),
    from: clockTime,
    to: clockTime,
  })
  .strict()
  .refine((d) => d.from < d.to, { message: '"from" must be before "to" (split a night shift in two days).' });

/** Opening intervals, at most four a day, none overlapping another of the same day. */
export const workingDaysSchema = z
  .array(workingDaySchema)
  .min(1, 'Give at least one interval (no working hours at all: null, always open).')
  .max(28)
  .superRefine((days, ctx) => {
    const sorted = [...days].sort((a, b) => a.day - b.day || a.from.localeCompare(b.from));
    for (let i = 1; i < sorted.length; i++) {
      const [previous, current] = [sorted[i - 1], sorted[i]];
      if (previous && current && previous.day === current.day && current.from < previous.to) {
        ctx.addIssue({
          code: 'custom',
          message: `Intervals overlap on day ${current.day}.`,
        });
        return;
      }
    }
  });

export const workingHoursSchema: z.ZodType<WorkingHours> = z
  .object({ timeZone: timeZoneSchema, days: workingDaysSchema })
  .strict();

/**
 * Bot texts by language: keys are `default` or the two- or three-letter language code the bot
 * matches a client's Telegram language against (lib/telegram/texts.ts: `pt-br` reads `pt`).
 */
export const localisedTextsSchema: z.ZodType<LocalisedTexts> = z
  .record(
    z.string().regex(/^(default|[a-z]{2,3})$/, 'Keys are "default" or a language code such as en, ru, pt.'),
    z.string().trim().min(1).max(4000),
  )
  .refine((texts) => Object.keys(texts).length <= 50, 'At most 50 languages.');

export const departmentNameSchema = z.string().trim().min(1).max(100);
export const departmentDescriptionSchema = z.string().trim().max(1000);
export const defaultCapacitySchema = z.number().int().min(1).max(500);
export const responseTimeLimitSchema = z.number().int().min(30).max(86_400);
/** Idle minutes before an operator becomes away / offline (1 minute to 7 days); null: never. */
/** Away must come before offline when both are set (a refine for the department inputs). */
export const idleOrder = {
  check: (d: { awayAfterMinutes?: number | null; offlineAfterMinutes?: number | null }) =>
    d.awayAfterMinutes == null || d.offlineAfterMinutes == null || d.awayAfterMinutes < d.offlineAfterMinutes,
  message: {
    message: 'Away must come before offline: give fewer minutes for away.',
    path: ['offlineAfterMinutes'],
  },
};
export const idleMinutesSchema = z.number().int().min(1).max(10_080).nullable();
export const sortOrderSchema = z.number().int().min(-1_000_000).max(1_000_000);
