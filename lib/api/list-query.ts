import { z } from 'zod';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  snakeCase,
  type ListDefinition,
  type ListPage,
} from '@/lib/pagination/list-input';

/**
 * A list's query string for the REST API, derived from its one declaration (defineList): the same
 * filters and ordering fields in snake_case, `search`, `ordering` (`-field` descending), `page`
 * and `page_size` (default 25, at most 100). Unknown parameters and ordering fields are refused
 * (400), never ignored. `toDomain` turns a parsed query back into the domain function's input.
 */
export function apiListQuery<F extends z.ZodRawShape, O extends string>(list: ListDefinition<F, O>) {
  const { spec } = list;
  const filters: Record<string, z.ZodType> = {};
  const names = new Map<string, string>();
  for (const [key, schema] of Object.entries(spec.filters)) {
    filters[snakeCase(key)] = (schema as z.ZodType).optional();
    names.set(snakeCase(key), key);
  }
  const fields = spec.ordering.map((f) => snakeCase(f));
  const orderings = fields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
  const defaultOrdering = spec.defaultOrdering.startsWith('-')
    ? `-${snakeCase(spec.defaultOrdering.slice(1))}`
    : snakeCase(spec.defaultOrdering);
  const schema = z
    .object({
      ...filters,
      ...(spec.search
        ? { search: z.string().trim().min(1).max(200).optional().meta({ description: 'Free-text search.' }) }
        : {}),
      ordering: z
        .enum(orderings)
        .default(defaultOrdering)
        .meta({ description: `Sort field; a leading "-" sorts descending. Default ${defaultOrdering}.` }),
      page: z.coerce
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(1)
        .meta({ description: 'Page number, from 1.' }),
      page_size: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_PAGE_SIZE)
        .default(DEFAULT_PAGE_SIZE)
        .meta({ description: `Results per page (at most ${MAX_PAGE_SIZE}).` }),
    })
    .strict();

  function toDomain(query: Record<string, unknown>): z.input<typeof list.schema> {
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      const name = names.get(key);
      if (name) input[name] = value;
    }
    const ordering = String(query.ordering);
    const descending = ordering.startsWith('-');
    const field = spec.ordering.find((f) => snakeCase(f) === (descending ? ordering.slice(1) : ordering));
    return {
      ...input,
      ...(typeof query.search === 'string' ? { search: query.search } : {}),
      ordering: field ? (descending ? `-${field}` : field) : spec.defaultOrdering,
      page: query.page,
      pageSize: query.page_size,
    } as z.input<typeof list.schema>;
  }

  return { schema, toDomain };
}

/** The REST API's page: `{ count, next, previous, results }`, with links to the other pages. */
export type ApiPage<T> = { count: number; next: string | null; previous: string | null; results: T[] };

/** The page's links, built from the request's own URL (only `page` changes). */
export function apiPage<T, R>(url: URL, page: ListPage<T>, shape: (item: T) => R): ApiPage<R> {
  const link = (n: number) => {
    const next = new URL(url);
    next.searchParams.set('page', String(n));
    return next.toString();
  };
  const last = Math.max(1, Math.ceil(page.count / page.pageSize));
  return {
    count: page.count,
    next: page.page < last ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(Math.min(page.page - 1, last)) : null,
    results: page.results.map(shape),
  };
}

/** The schema of a page of `item`, for the OpenAPI document and response checks. */
export function apiPageSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      count: z.number().int().min(0),
      next: z.url().nullable(),
      previous: z.url().nullable(),
      results: z.array(item),
    })
    .meta({ id });
}

/**
 * A list's domain input (camelCase, typed) as the REST API's query string — the inverse of
 * `toDomain`: names and the ordering field in snake_case, Dates as ISO 8601 instants, arrays
 * comma-separated, booleans as `true`/`false`; undefined values left out. The dashboard links to
 * API routes (the CSV export) with the query of the list it shows.
 */
export function apiSearchParams(input: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    let text: string;
    if (value instanceof Date) text = value.toISOString();
    else if (Array.isArray(value)) text = value.map(String).join(',');
    else if (key === 'ordering' && typeof value === 'string')
      text = value.startsWith('-') ? `-${snakeCase(value.slice(1))}` : snakeCase(value);
    else text = String(value);
    params.set(snakeCase(key), text);
  }
  return params;
}
