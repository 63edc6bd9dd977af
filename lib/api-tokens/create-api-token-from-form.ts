import type { Db } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';
import { localDayRange } from '@/lib/time/local-day-range';
import { parseCreateApiTokenForm } from './api-token-form';
import { createApiToken } from './create-api-token';

/**
 * Creates an API token from Settings → API tokens' form (FormData: name, role, departmentIds,
 * expiresOn). The expiry day (yyyy-mm-dd) is the last day the token works in the admin's
 * `timeZone` (IANA): it expires at the midnight that ends that day (localDayRange). Answers the
 * token itself, once, with its name and prefix. Role check and audit row are createApiToken's.
 * Errors: `bad_request` (not a form), ZodError (the form's shape), and createApiToken's
 * `forbidden`, `unprocessable_entity`.
 */
export async function createApiTokenFromForm({
  db,
  actor,
  form,
  timeZone,
  now,
}: {
  db: Db;
  actor: Actor;
  form: unknown;
  timeZone: string;
  now?: Date;
}): Promise<{ token: string; name: string; prefix: string }> {
  const data = parseCreateApiTokenForm(form);
  const created = await createApiToken({
    db,
    actor,
    now,
    input: {
      name: data.name,
      role: data.role,
      departmentIds: data.departmentIds,
      ...(data.expiresOn ? { expiresAt: localDayRange(undefined, data.expiresOn, timeZone).to } : {}),
    },
  });
  return { token: created.token, name: created.name, prefix: created.prefix };
}
