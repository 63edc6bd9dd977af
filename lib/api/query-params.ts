import { z } from 'zod';

/**
 * Query-string parameters, in the shapes lists share. A query string carries text only, so each
 * helper accepts the text form (and the typed form, for callers inside the app), and is drawn in
 * the OpenAPI document as the text it is sent as.
 */

/** A zod-openapi `override` that draws a parameter as exactly `schema`. */
function drawnAs(schema: Record<string, unknown>) {
  return {
    override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
      for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
      Object.assign(jsonSchema, schema);
    },
  };
}

/** `true`/`false` (also `1`/`0`); anything else is refused — never JavaScript's truthiness. */
export function booleanParam() {
  return z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .meta(drawnAs({ type: 'boolean' }));
}

/** One or more values of `item`, comma-separated in a query string (`status=new,waiting`). */
export function listParam<T extends z.ZodType>(
  item: T,
  { description = 'One or more values, comma-separated.', max = 20 } = {},
) {
  return z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v),
      z.array(item).min(1).max(max),
    )
    .meta(drawnAs({ type: 'string', description }));
}

/**
 * An instant (ISO 8601 with an offset, e.g. 2026-11-30T00:00:00Z), or a Date: the REST API
 * parses the text, and the domain parses the query once more (a Date by then).
 */
export function instantParam() {
  return z
    .union([z.date(), z.iso.datetime({ offset: true }).transform((v) => new Date(v))])
    .meta(drawnAs({ type: 'string', format: 'date-time' }));
}
