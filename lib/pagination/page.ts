import { asc, desc, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';

export const pageInput = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

export type Page<T> = { count: number; page: number; pageSize: number; results: T[] };

/** `ordering=-lastMessageAt` style sorting over an allow-list of columns. */
export function orderingSchema<K extends string>(fields: readonly [K, ...K[]], fallback: `${'-' | ''}${K}`) {
  const values = fields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
  return z.enum(values).default(fallback);
}

export function orderBy(
  ordering: string,
  columns: Record<string, AnyColumn | SQL>,
  tieBreaker: AnyColumn,
): SQL[] {
  const descending = ordering.startsWith('-');
  const column = columns[descending ? ordering.slice(1) : ordering];
  if (!column) return [desc(tieBreaker)];
  return [descending ? desc(column) : asc(column), descending ? desc(tieBreaker) : asc(tieBreaker)];
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
