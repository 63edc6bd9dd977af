import { z } from 'zod';
import type { LocalisedTexts, WorkingHours } from '@/db/schema';

/**
 * The dashboard's department form (Settings → Departments) and its conversions to and from the
 * domain's shapes. No database here: the client component builds its initial values with
 * departmentToForm, the server action parses with departmentFormSchema and saveDepartmentForm
 * hands the result to createDepartment / updateDepartment, which validate every field again.
 */

/** One language's text: `lang` is `default` or a language code (checked by the domain). */
export const localisedTextRowSchema = z.object({
  lang: z.string().trim().toLowerCase().max(10),
  text: z.string().max(4000),
});
export type LocalisedTextRow = z.infer<typeof localisedTextRowSchema>;

/**
 * A day's opening intervals as typed: `09:00-13:00, 14:00-18:00` (HH:MM-HH:MM, comma
 * separated; an en dash works too); empty: closed that day.
 */
const dayIntervalsSchema = z
  .string()
  .max(200)
  .regex(
    /^\s*(\d{1,2}:\d{2}\s*[-–]\s*\d{1,2}:\d{2}\s*(,\s*\d{1,2}:\d{2}\s*[-–]\s*\d{1,2}:\d{2}\s*)*)?$/,
    'Write a day’s hours as 09:00-13:00, 14:00-18:00.',
  );

export const departmentFormSchema = z
  .object({
    /** Absent: create a department. */
    departmentId: z.uuid().optional(),
    name: z.string().max(1000),
    description: z.string().max(5000),
    isDefault: z.boolean(),
    isActive: z.boolean(),
    sortOrder: z.number().int(),
    defaultCapacity: z.number().int(),
    responseTimeLimitSec: z.number().int(),
    /** Null: never. */
    awayAfterMinutes: z.number().int().nullable(),
    offlineAfterMinutes: z.number().int().nullable(),
    /** Null: always open. `days[0]` is Sunday … `days[6]` Saturday. */
    workingHours: z
      .object({ timeZone: z.string().max(64), days: z.array(dayIntervalsSchema).length(7) })
      .nullable(),
    greeting: z.array(localisedTextRowSchema).max(50),
    autoReplyQueued: z.array(localisedTextRowSchema).max(50),
    autoReplyOffHours: z.array(localisedTextRowSchema).max(50),
  })
  .strict();
export type DepartmentForm = z.infer<typeof departmentFormSchema>;

/** `09:00-18:00` style intervals of one day, in the domain's `{ day, from, to }` form. */
function parseDay(day: number, typed: string): WorkingHours['days'] {
  return typed
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [from = '', to = ''] = part.split(/\s*[-–]\s*/);
      return { day, from: from.padStart(5, '0'), to: to.padStart(5, '0') };
    });
}

/** Rows with a text become `{ lang: text }`; none: null (the bot's built-in text is used). */
function toTexts(rows: LocalisedTextRow[]): LocalisedTexts | null {
  const filled = rows.filter((row) => row.text.trim() !== '');
  if (filled.length === 0) return null;
  return Object.fromEntries(filled.map((row) => [row.lang || 'default', row.text]));
}

/**
 * The domain input of a parsed form: an empty description → null; hours with no interval on any
 * day → `days: []`, which the domain refuses with its own message (choose "always open"
 * instead); texts without a filled row → null.
 */
export function formToDepartmentInput(form: DepartmentForm) {
  return {
    name: form.name,
    description: form.description.trim() === '' ? null : form.description,
    isDefault: form.isDefault,
    isActive: form.isActive,
    sortOrder: form.sortOrder,
    defaultCapacity: form.defaultCapacity,
    responseTimeLimitSec: form.responseTimeLimitSec,
    awayAfterMinutes: form.awayAfterMinutes,
    offlineAfterMinutes: form.offlineAfterMinutes,
    workingHours: form.workingHours
      ? {
          timeZone: form.workingHours.timeZone.trim(),
          days: form.workingHours.days.flatMap((typed, day) => parseDay(day, typed)),
        }
      : null,
    greeting: toTexts(form.greeting),
    autoReplyQueued: toTexts(form.autoReplyQueued),
    autoReplyOffHours: toTexts(form.autoReplyOffHours),
  };
}

/** The form's values for an existing department (or the domain's defaults for a new one). */
export function departmentToForm(department?: {
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
  greeting: LocalisedTexts | null;
  autoReplyQueued: LocalisedTexts | null;
  autoReplyOffHours: LocalisedTexts | null;
}): DepartmentForm {
  // `default` first, then by language code (jsonb keeps no key order of its own).
  const rows = (texts: LocalisedTexts | null | undefined): LocalisedTextRow[] =>
    Object.entries(texts ?? {})
      .sort(([a], [b]) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
      .map(([lang, text]) => ({ lang, text }));
  const hours = department?.workingHours;
  return {
    ...(department ? { departmentId: department.id } : {}),
    name: department?.name ?? '',
    description: department?.description ?? '',
    isDefault: department?.isDefault ?? false,
    isActive: department?.isActive ?? true,
    sortOrder: department?.sortOrder ?? 0,
    defaultCapacity: department?.defaultCapacity ?? 10,
    responseTimeLimitSec: department?.responseTimeLimitSec ?? 300,
    awayAfterMinutes: department ? department.awayAfterMinutes : 15,
    offlineAfterMinutes: department ? department.offlineAfterMinutes : 60,
    workingHours: hours
      ? {
          timeZone: hours.timeZone,
          days: Array.from({ length: 7 }, (_, day) =>
            hours.days
              .filter((d) => d.day === day)
              .sort((a, b) => a.from.localeCompare(b.from))
              .map((d) => `${d.from}-${d.to}`)
              .join(', '),
          ),
        }
      : null,
    greeting: rows(department?.greeting),
    autoReplyQueued: rows(department?.autoReplyQueued),
    autoReplyOffHours: rows(department?.autoReplyOffHours),
  };
}

/** The hours a schedule starts from when "always open" is switched off: Mon–Fri 09:00-18:00. */
export function defaultWorkingHours(timeZone: string): NonNullable<DepartmentForm['workingHours']> {
  const weekday = '09:00-18:00';
  return { timeZone, days: ['', weekday, weekday, weekday, weekday, weekday, ''] };
}
