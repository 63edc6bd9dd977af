import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { ApiOperation } from './operation';
import { apiOperations } from './operations';
import { problemSchema } from './schemas';

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request: bad JSON, an unknown or invalid query parameter or ordering field.',
  401: 'No, an unknown, a revoked or an expired credential.',
  403: 'The caller’s role does not allow this.',
  404: 'No such object — or one the caller may not see (its existence is not revealed).',
  409: 'The object’s state does not allow this now.',
  413: 'The body is larger than 256 KB.',
  422: 'The body does not validate (the issues are in `errors`).',
  429: 'Too many requests for this token, or Telegram is rate limiting the bot; see Retry-After.',
  503: 'A service the operation needs (Telegram, storage) is unavailable.',
};

function problemResponse(status: number) {
  return {
    description: ERROR_TEXT[status] ?? 'Error.',
    ...(status === 429
      ? {
          headers: {
            'Retry-After': {
              description: 'Seconds to wait before trying again.',
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : {}),
    content: { 'application/problem+json': { schema: problemSchema } },
  };
}

/** What each tag (an operation's `tag`) groups, for the document's `tags`. */
const TAG_TEXT: Record<string, string> = {
  clients:
    'The people who write to the bot: their status, department and operator, changed only through the desk’s transitions (assign, transfer, resolve, reopen).',
  messages:
    'A client’s history (newest first, by cursor), sending, editing and deleting replies in Telegram, full-text search across clients, and stored files.',
  departments: 'Groups of operators with their own queue, working hours, capacity defaults and auto-replies.',
  operators: 'The desk’s staff: roles, departments, capacity and load, presence, and Telegram invite links.',
  conversations:
    'Support episodes, from a client’s first message to the resolution, with first-response and resolution times. Read-only.',
  'operator-logs': 'The append-only audit trail of every change made by a person, an API token or the desk.',
  'api-tokens': 'Bearer tokens for integrations, each with a role and departments; the secret is shown once.',
};

function operationObject(op: ApiOperation): ZodOpenApiOperationObject {
  // A file or any other body answers 200 unless told otherwise; only no body at all is 204.
  const status = op.response || op.rawResponse ? (op.status ?? 200) : (op.status ?? 204);
  const success = op.rawResponse
    ? {
        description: op.rawResponse.description,
        content: { [op.rawResponse.contentType]: { schema: { type: 'string', format: 'binary' } } },
      }
    : op.response
      ? { description: 'OK', content: { 'application/json': { schema: op.response } } }
      : { description: 'No content' };
  const errors = [400, 401, 429, ...(op.body ? [413, 422] : []), ...(op.errors ?? [])];
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(op.params || op.query
      ? {
          requestParams: {
            ...(op.params ? { path: op.params } : {}),
            ...(op.query ? { query: op.query } : {}),
          },
        }
      : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } }
      : {}),
    responses: {
      [String(status)]: success,
      ...Object.fromEntries([...new Set(errors)].sort().map((code) => [String(code), problemResponse(code)])),
    },
  } as ZodOpenApiOperationObject;
}

let cached: ReturnType<typeof createDocument> | undefined;

/**
 * The OpenAPI 3.1 document of the REST API, generated from the same zod schemas that validate
 * its requests and shape its responses (zod-openapi). Built once per process.
 */
export function openApiDocument(serverUrl = '/api/v1') {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const op of apiOperations) {
    const item = (paths[op.path] ??= {});
    (item as Record<string, ZodOpenApiOperationObject>)[op.method.toLowerCase()] = operationObject(op);
  }
  cached = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Telegram support desk API',
      version: '1.0.0',
      description:
        'Every resource of the desk for integrations. Authenticate with an API token (`Authorization: Bearer tsd_…`, created by an admin) or the dashboard’s session cookie. Lists answer `{ count, next, previous, results }` and take `search`, `ordering` (`-field` descending), `page`, `page_size` (default 25, at most 100) and field filters; unknown parameters are refused. Errors are application/problem+json (RFC 9457).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: [...new Set(apiOperations.map((o) => o.tag))].map((name) => ({
      name,
      description: TAG_TEXT[name],
    })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token created by an admin (dashboard Settings → API tokens, or `npm run token:create`).',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'next-auth.session-token',
          description: 'The dashboard session (for the desk’s own pages).',
        },
      },
    },
  });
  return cached;
}
