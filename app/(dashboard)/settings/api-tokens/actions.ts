'use server';

import { revalidatePath } from 'next/cache';
import { getTimeZone } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { operatorRole } from '@/db/schema';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { revokeApiToken } from '@/lib/api-tokens/revoke-api-token';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { localDayRange } from '@/lib/time/local-day-range';

const PAGE = '/settings/api-tokens';

export type CreateApiTokenState = ActionResult<{ token: string; name: string; prefix: string }> | null;
export type RevokeApiTokenState = ActionResult<{ name: string }> | null;

// Actions are public endpoints: a hand-made request can pass anything as the form.
const notAForm = { ok: false, code: 'bad_request', message: 'Malformed request.' } as const;

/** The form's fields; createApiToken checks the rest (name length, departments, expiry). */
const createForm = z.object({
  name: z.string().max(1000),
  role: z.enum(operatorRole.enumValues),
  departmentIds: z.array(z.string().max(100)).max(100),
  /** The last day the token works (yyyy-mm-dd, in the admin's time zone); empty: no expiry. */
  expiresOn: z.union([z.literal(''), z.iso.date()]),
});

/**
 * Creates an API token from the settings form (admins: createApiToken checks the role and
 * writes the audit row with the admin's address). Answers the token itself, once; the page keeps
 * only its prefix.
 */
export async function createApiTokenAction(
  _prev: CreateApiTokenState,
  form: FormData,
): Promise<CreateApiTokenState> {
  const actor = await requireSessionActor();
  if (!(form instanceof FormData)) return notAForm;
  const result = await toActionResult(async () => {
    const data = createForm.parse({
      name: form.get('name') ?? '',
      role: form.get('role') ?? '',
      departmentIds: form.getAll('departmentIds'),
      expiresOn: form.get('expiresOn') ?? '',
    });
    const created = await createApiToken({
      db: await getDb(),
      actor,
      input: {
        name: data.name,
        role: data.role,
        departmentIds: data.departmentIds,
        ...(data.expiresOn
          ? { expiresAt: localDayRange(undefined, data.expiresOn, await getTimeZone()).to }
          : {}),
      },
    });
    return { token: created.token, name: created.name, prefix: created.prefix };
  });
  if (result.ok) revalidatePath(PAGE);
  return result;
}

const revokeForm = z.object({ id: z.uuid() });

/** Revokes a token (admins; audited by revokeApiToken). It stops working at once. */
export async function revokeApiTokenAction(
  _prev: RevokeApiTokenState,
  form: FormData,
): Promise<RevokeApiTokenState> {
  const actor = await requireSessionActor();
  if (!(form instanceof FormData)) return notAForm;
  const result = await toActionResult(async () => {
    const { id } = revokeForm.parse({ id: form.get('id') });
    const revoked = await revokeApiToken({ db: await getDb(), actor, input: { id } });
    return { name: revoked.name };
  });
  if (result.ok) revalidatePath(PAGE);
  return result;
}
