'use server';

import { revalidatePath } from 'next/cache';
import { getTimeZone } from 'next-intl/server';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { createApiTokenFromForm } from '@/lib/api-tokens/create-api-token-from-form';
import { revokeApiTokenFromForm } from '@/lib/api-tokens/revoke-api-token-from-form';
import { toActionResult, type ActionResult } from '@/lib/errors';

const PAGE = '/settings/api-tokens';

export type CreateApiTokenState = ActionResult<{ token: string; name: string; prefix: string }> | null;
export type RevokeApiTokenState = ActionResult<{ name: string }> | null;

/**
 * Creates an API token from the settings form (admins; parsed, checked and audited by
 * createApiTokenFromForm, the expiry day read in the admin's time zone). Answers the token
 * itself, once; the page keeps only its prefix.
 */
export async function createApiTokenAction(
  _prev: CreateApiTokenState,
  form: FormData,
): Promise<CreateApiTokenState> {
  const actor = await requireSessionActor();
  const result = await toActionResult(async () =>
    createApiTokenFromForm({ db: await getDb(), actor, form, timeZone: await getTimeZone() }),
  );
  if (result.ok) revalidatePath(PAGE);
  return result;
}

/** Revokes a token (admins; audited by revokeApiToken). It stops working at once. */
export async function revokeApiTokenAction(
  _prev: RevokeApiTokenState,
  form: FormData,
): Promise<RevokeApiTokenState> {
  const actor = await requireSessionActor();
  const result = await toActionResult(async () => revokeApiTokenFromForm({ db: await getDb(), actor, form }));
  if (result.ok) revalidatePath(PAGE);
  return result;
}
