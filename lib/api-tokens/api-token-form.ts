import { z } from 'zod';
import { operatorRole } from '@/db/schema';
import { AppError } from '@/lib/errors';

/**
 * Settings → API tokens' forms as the browser posts them (FormData). Server actions are public
 * endpoints, so anything may arrive: a body that is not a form is `bad_request`, fields of the
 * wrong shape a ZodError. The domain functions check the rest (name length, departments, expiry).
 */

/** The create form's fields. */
export const createApiTokenFormSchema = z.object({
  name: z.string().max(1000),
  role: z.enum(operatorRole.enumValues),
  departmentIds: z.array(z.string().max(100)).max(100),
  /** The last day the token works (yyyy-mm-dd, in the admin's time zone); empty: no expiry. */
  expiresOn: z.union([z.literal(''), z.iso.date()]),
});
export type CreateApiTokenForm = z.infer<typeof createApiTokenFormSchema>;

/** The revoke button's form: the token's id. */
export const revokeApiTokenFormSchema = z.object({ id: z.uuid() });

/** `form` as FormData, or `bad_request` ("Malformed request.") for any other body. */
export function requireFormData(form: unknown): FormData {
  if (!(form instanceof FormData)) throw new AppError('bad_request', 'Malformed request.');
  return form;
}

/** The create form's fields read from its FormData (missing ones as empty) and zod-checked. */
export function parseCreateApiTokenForm(form: unknown): CreateApiTokenForm {
  const data = requireFormData(form);
  return createApiTokenFormSchema.parse({
    name: data.get('name') ?? '',
    role: data.get('role') ?? '',
    departmentIds: data.getAll('departmentIds'),
    expiresOn: data.get('expiresOn') ?? '',
  });
}
