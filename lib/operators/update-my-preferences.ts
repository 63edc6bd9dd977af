import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { operators } from '@/db/schema';
import { locales, validTimeZone } from '@/i18n/config';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';

export const updateMyPreferencesInput = z
  .object({
    locale: z.enum(locales).nullable().optional(),
    timeZone: z
      .string()
      .nullable()
      .optional()
      .refine((v) => v === null || v === undefined || validTimeZone(v) !== null, 'Unknown time zone.'),
  })
  .strict();

/**
 * A signed-in operator's own dashboard language and time zone (null: follow the browser).
 * Errors: `forbidden` for anyone but a signed-in operator; invalid values throw a ZodError.
 */
export async function updateMyPreferences({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof updateMyPreferencesInput>;
}): Promise<{ locale: string | null; timeZone: string | null }> {
  if (actor.kind !== 'operator')
    throw new AppError('forbidden', 'Only a signed-in operator has preferences.');
  const data = updateMyPreferencesInput.parse(input);
  const [row] = await db
    .update(operators)
    .set({
      ...(data.locale !== undefined ? { locale: data.locale } : {}),
      ...(data.timeZone !== undefined ? { timeZone: data.timeZone } : {}),
      updatedAt: new Date(),
    })
    .where(eq(operators.id, actor.operatorId))
    .returning({ locale: operators.locale, timeZone: operators.timeZone });
  if (!row) throw new AppError('not_found', 'Operator not found.');
  await recordAudit(db, actor, {
    action: 'operator.preferences_changed',
    targetType: 'operator',
    targetId: actor.operatorId,
    details: data,
  });
  return row;
}
