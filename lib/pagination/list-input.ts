import { z } from 'zod';

/** Most rows one page of any list returns (REST API and dashboard alike). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** `lastMessageAt` → `last_message_at`: the REST API names everything in snake_case. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export type ListSpec<F extends z.ZodRawShape, O extends string> = {
  /** Field filters (all optional), named in camelCase (the API offers them in snake_case). */
  filters: F;
  /** Fields a list may be ordered by (ascending, or descending with a leading `-`). */
  ordering: readonly [O, ...O[]];
  defaultOrdering: O | `-${O}`;
  /** Whether the list takes a free-text `search`. */
  search: boolean;
};

/**
 * A list's query, declared once and used by its domain function, the REST API (in snake_case,
 * see lib/api/list-query.ts) and the dashboard: filters, `search`, `ordering`, `page`,
 * `pageSize` (default 25, at most 100). Unknown keys are refused (`strict`).
 */
export function defineList<F extends z.ZodRawShape, O extends string>(spec: ListSpec<F, O>) {
  const orderings = spec.ordering.flatMap((f) => [f, `-${f}`]) as [O | `-${O}`, ...(O | `-${O}`)[]];
  const ordering: z.ZodType<O | `-${O}`> = z.enum(orderings);
  const filters = Object.fromEntries(
    Object.entries(spec.filters).map(([key, schema]) => [key, (schema as z.ZodType).optional()]),
  ) as unknown as { [K in keyof F]: z.ZodOptional<F[K]> };
  const schema = z
    .object({
      ...filters,
      search: z.string().trim().min(1).max(200).optional(),
      ordering: ordering.default(spec.defaultOrdering),
      page: z.coerce.number().int().min(1).max(100_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    })
    .strict();
  return { spec, schema };
}

export type ListDefinition<F extends z.ZodRawShape, O extends string> = ReturnType<typeof defineList<F, O>>;

/** One page of a list, before the API adds its links. */
export type ListPage<T> = { count: number; page: number; pageSize: number; results: T[] };
