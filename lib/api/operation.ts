import { z } from 'zod';
import { getDb, type Db } from '@/db/client';
import type { StaffActor } from '@/lib/auth/actor';
import { AppError, toProblem, type Problem } from '@/lib/errors';
import { authenticateApiRequest } from './authenticate-api-request';
import { consumeApiRateLimit } from './rate-limit';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export type OperationContext<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> = {
  actor: StaffActor;
  db: Db;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  request: Request;
  url: URL;
};

/**
 * One REST API operation: its HTTP shape as zod schemas (path parameters, query, body, the
 * success response) — the same schemas validate requests, shape responses and produce the
 * OpenAPI document (lib/api/openapi.ts) — and a handler that calls one domain function.
 */
export type ApiOperation<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, e.g. `/clients/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The success body; absent: 204 No Content. */
  response?: R;
  /** A response that is not JSON (a file): its media type, or a media range when the type varies. */
  rawResponse?: { contentType: string; description: string };
  /** Success status (default 200; 204 when there is neither `response` nor `rawResponse`). */
  status?: 200 | 201 | 204;
  /** Error statuses this operation can answer besides 400, 401, 429 (documented). */
  errors?: (403 | 404 | 409 | 422 | 503)[];
  handler: (ctx: OperationContext<P, Q, B>) => Promise<z.input<R> | Response | undefined>;
};

export function defineOperation<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  R extends z.ZodType,
>(operation: ApiOperation<P, Q, B, R>): ApiOperation<P, Q, B, R> {
  return operation;
}

/** Largest JSON body the API reads (bytes); bigger ones are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * The Next route handler of an operation: authenticate (bearer token or session cookie), rate
 * limit, parse path, query and body, run the handler, answer JSON — or problem+json (RFC 9457)
 * for every error: 400 for a malformed request (unknown query parameters included, with zod's
 * issues where a schema refused it), 401, 403, 404 (also for objects of others: their existence
 * is not revealed), 409, 413 for a body over MAX_BODY_BYTES, 422 for a body that does not
 * validate (with zod's issues), 429 with Retry-After, 500 without internals.
 */
export function operationHandler(operation: ApiOperation) {
  return async (request: Request, context?: NextContext): Promise<Response> => {
    try {
      const db = await getDb();
      const actor = await authenticateApiRequest({ db, request, mutating: operation.method !== 'GET' });
      const limit = await consumeApiRateLimit(db, actor);
      const url = new URL(request.url);
      const params = parseParams(operation, (await context?.params) ?? {});
      const query = parseQuery(operation, url);
      const body = operation.method === 'GET' ? undefined : await parseBody(operation.body, request);
      const result = await operation.handler({ actor, db, params, query, body, request, url });
      const response =
        result instanceof Response
          ? result
          : operation.response === undefined || result === undefined
            ? new Response(null, { status: 204 })
            : Response.json(result, { status: operation.status ?? 200 });
      for (const [name, value] of Object.entries(limit.headers)) response.headers.set(name, value);
      return response;
    } catch (error) {
      return problem(error);
    }
  };
}

function parseParams(operation: ApiOperation, raw: Record<string, unknown>) {
  if (!operation.params) return {};
  const parsed = operation.params.safeParse(raw);
  // A malformed id is a resource that does not exist, as an unknown one is.
  if (!parsed.success) throw new AppError('not_found', 'Not found.');
  return parsed.data;
}

/** An operation without a query takes no parameter: any is unknown (400, with zod's issue). */
const NO_QUERY = z.object({}).strict();
/** An operation without a body takes none; `{}` is the empty body some clients always send. */
const NO_BODY = z.object({}).strict();

function parseQuery(operation: ApiOperation, url: URL) {
  // URLSearchParams turns percent-encoded bytes that are not UTF-8 into U+FFFD without a word:
  // such a query is refused instead of being searched for something the caller never wrote.
  for (const part of url.search.slice(1).split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new AppError('bad_request', 'The query string is not UTF-8 percent-encoded.');
    }
  }
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in raw)
      throw new AppError('bad_request', `The query parameter "${key}" is given more than once.`);
    raw[key] = value;
  }
  assertStorable(raw, 'bad_request', 'query');
  const parsed = (operation.query ?? NO_QUERY).safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const detail =
      first?.code === 'unrecognized_keys'
        ? `Unknown query parameter "${first.keys[0]}".`
        : `${first?.path.join('.') || 'query'}: ${first?.message ?? 'invalid'}`;
    throw new AppError('bad_request', detail, { issues: issuesOf(parsed.error) });
  }
  return parsed.data;
}

/**
 * The request's body as bytes, refused with `payload_too_large` as soon as it passes `max` —
 * whether the length was declared or not — so an endless body is never read into memory.
 */
async function readBodyCapped(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > max) throw new AppError('payload_too_large', 'The body is too large.');
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new AppError('payload_too_large', 'The body is too large.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The body, parsed as JSON and by `schema`: 413 past MAX_BODY_BYTES, 400 unless it is
 * `application/json` in valid UTF-8 and valid JSON, 422 (with zod's issues) when it does not fit
 * the schema or holds text Postgres cannot store. An operation without a body (`schema`
 * undefined) accepts none, or `{}`.
 */
async function parseBody(schema: z.ZodType | undefined, request: Request) {
  const bytes = await readBodyCapped(request, MAX_BODY_BYTES);
  if (!schema && bytes.byteLength === 0) return undefined;
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError('bad_request', 'Send the body as JSON (Content-Type: application/json).');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON in UTF-8.');
  }
  assertStorable(json, 'unprocessable_entity', 'body');
  const parsed = (schema ?? NO_BODY).safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const detail =
      first?.code === 'unrecognized_keys'
        ? `Unknown field "${first.keys[0]}".`
        : `${first?.path.join('.') || 'body'}: ${first?.message ?? 'invalid'}`;
    throw new AppError('unprocessable_entity', detail, { issues: issuesOf(parsed.error) });
  }
  return schema ? parsed.data : undefined;
}

// eslint-disable-next-line no-control-regex -- finding NUL is the point
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Issues (zod's shape, code `custom`) for every string — object keys too — that Postgres cannot
 * store: NUL (U+0000), which text and jsonb refuse, and a UTF-16 surrogate without its partner,
 * which would be stored as U+FFFD. Refused here rather than cleaned, so a caller never gets back
 * anything but what they sent.
 */
function unstorableTextIssues(value: unknown, path: string[] = [], depth = 0): ZodLikeIssue[] {
  const check = (text: string, at: string[]): ZodLikeIssue[] =>
    NUL.test(text)
      ? [{ path: at.join('.'), message: 'Text may not contain NUL (U+0000).', code: 'custom' }]
      : LONE_SURROGATE.test(text)
        ? [{ path: at.join('.'), message: 'Text may not contain a lone UTF-16 surrogate.', code: 'custom' }]
        : [];
  if (typeof value === 'string') return check(value, path);
  // Deeper than any body of this API: the schema refuses it anyway.
  if (value === null || typeof value !== 'object' || depth > 32) return [];
  if (Array.isArray(value))
    return value.flatMap((item, i) => unstorableTextIssues(item, [...path, String(i)], depth + 1));
  return Object.entries(value).flatMap(([key, item]) => [
    ...check(key, [...path, key]),
    ...unstorableTextIssues(item, [...path, key], depth + 1),
  ]);
}

type ZodLikeIssue = { path: string; message: string; code: string };

/** Throws `code` with the issues of unstorableTextIssues(value), if there are any. */
function assertStorable(value: unknown, code: 'bad_request' | 'unprocessable_entity', where: string) {
  const issues = unstorableTextIssues(value);
  const first = issues[0];
  if (first) throw new AppError(code, `${first.path || where}: ${first.message}`, { issues });
}

function issuesOf(error: z.ZodError): ZodLikeIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
}

/** problem+json for any error; 429 carries Retry-After. */
export function problem(error: unknown): Response {
  const body: Problem = toProblem(error);
  if (body.status >= 500) console.error(error);
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (error instanceof AppError && error.code === 'rate_limited') {
    const retryAfter = Number(error.details?.retryAfterSec ?? 1);
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
  }
  if (error instanceof AppError && error.code === 'unauthorized') {
    headers['www-authenticate'] = 'Bearer realm="api"';
  }
  return new Response(JSON.stringify(body), { status: body.status, headers });
}
