import { z } from 'zod';
import { AppError } from '@/lib/errors';

/**
 * The position after a row in a list ordered by (created_at, id): its instant as Postgres keeps
 * it (microseconds, ISO 8601 in UTC — a JavaScript Date would round to milliseconds and skip or
 * repeat rows stored within one millisecond) and its id.
 */
export type TimeIdCursor = { createdAt: string; id: string };

const cursorSchema = z
  .object({
    t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
    i: z.uuid(),
  })
  .strict();

/** An opaque cursor (base64url of a small JSON object): clients pass it back as it is. */
export function encodeCursor(cursor: TimeIdCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.createdAt, i: cursor.id })).toString('base64url');
}

/** The position a cursor stands for. Errors: `bad_request` for anything we did not issue. */
export function decodeCursor(value: string): TimeIdCursor {
  const invalid = new AppError('bad_request', 'The cursor is not valid; pass next_cursor back as it is.');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) throw invalid;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw invalid;
  return { createdAt: parsed.data.t, id: parsed.data.i };
}
