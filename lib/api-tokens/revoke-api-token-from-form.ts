import type { Db } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';
import { requireFormData, revokeApiTokenFormSchema } from './api-token-form';
import { revokeApiToken } from './revoke-api-token';

/**
 * Revokes the token named by Settings → API tokens' revoke form (FormData: id). Answers its
 * name. Role check and audit row are revokeApiToken's. Errors: `bad_request` (not a form),
 * ZodError (no or a malformed id), and revokeApiToken's `forbidden`, `not_found`.
 */
export async function revokeApiTokenFromForm({
  db,
  actor,
  form,
}: {
  db: Db;
  actor: Actor;
  form: unknown;
}): Promise<{ name: string }> {
  const { id } = revokeApiTokenFormSchema.parse({ id: requireFormData(form).get('id') });
  const revoked = await revokeApiToken({ db, actor, input: { id } });
  return { name: revoked.name };
}
