import { ZodError } from 'zod';
import { isDataRejected, isDatabaseUnavailable } from '@/db/sql-state';

/**
 * Whose fault a failed ingest is, which decides the webhook's answer:
 * - `update`: provably the update's own content — acknowledged (200) and recorded `failed`, so
 *   one poison update never stalls the bot in Telegram's retry loop;
 * - `unavailable`: the database could not serve the statement (connection lost, server shutting
 *   down or recovering, transient conflict, a schema that does not fit) — 503 with nothing
 *   recorded, so Telegram delivers the update again;
 * - `unknown`: anything else, e.g. a TypeError, which may be our code tripping over a strange
 *   update or a driver tripping over a lost connection. ingestTelegramUpdate() checks the
 *   database and tries once more before it decides (see there).
 */
export type IngestErrorKind = 'update' | 'unavailable' | 'unknown';

/** Thrown when the ingest ran past its deadline: the answer is 503, whatever happens later. */
export class IngestDeadlineError extends Error {
  constructor(ms: number) {
    super(`the update was not stored within ${ms} ms`);
    this.name = 'IngestDeadlineError';
  }
}

/** See IngestErrorKind. Postgres' codes are read from the error and every `cause` under it. */
export function classifyIngestError(error: unknown): IngestErrorKind {
  if (error instanceof IngestDeadlineError) return 'unavailable';
  // Connection trouble wins over everything: a statement cut off mid-way proves nothing.
  if (isDatabaseUnavailable(error)) return 'unavailable';
  if (error instanceof ZodError || isDataRejected(error)) return 'update';
  return 'unknown';
}

/** What makes two failures "the same": type, code and message (for the retry rule). */
export function errorSignature(error: unknown): string {
  if (!(error instanceof Error)) return `thrown:${String(error)}`;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  return `${error.name}:${code}:${error.message}`;
}
