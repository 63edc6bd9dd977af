import { z } from 'zod';

/** Shared pieces of the REST API's schemas. */

/** An instant as the API writes it: ISO 8601 in UTC (`2026-11-30T06:00:00.000Z`). */
export const instant = z.iso.datetime({ offset: true }).meta({ example: '2026-11-30T06:00:00.000Z' });

/** `{id}` in a path: a uuid (anything else is a resource that does not exist: 404). */
export const idParams = z.object({ id: z.uuid().meta({ description: 'The object’s id (uuid).' }) });

/** An RFC 9457 problem, as every error is answered (application/problem+json). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z
      .string()
      .meta({ description: 'Stable error code: bad_request, unauthorized, forbidden, not_found…' }),
    errors: z
      .unknown()
      .optional()
      .meta({ description: 'Details, e.g. the validation issues of a 400 or 422.' }),
  })
  .meta({ id: 'Problem' });
