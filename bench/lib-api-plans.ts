// The plans of the very statements an API request runs, for `npm run bench:api`: the request
// goes through the operation's own route handler in this process, on a connection where
// Postgres's auto_explain sends every statement's plan back as a NOTICE in EXPLAIN (FORMAT
// JSON) form. So each plan is the one Postgres chose for that statement with its parameters
// and with the planner settings the code set for it (SET LOCAL), which a statement rebuilt and
// explained apart could miss.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { setDbHandle } from '@/db/client';
import * as schema from '@/db/schema';
import { operationHandler } from '@/lib/api/operation';
import { findOperation } from '@/lib/api/operations';

/** One request of a scenario: an operation (OpenAPI path), its path parameters and query. */
export type ApiRequest = { path: string; params?: Record<string, string>; query?: string };

/** `/api/v1/...` URL path and query of a request. */
export function requestPath(request: ApiRequest): string {
  const path = request.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(request.params?.[name] ?? ''),
  );
  return `/api/v1${path}${request.query ? `?${request.query}` : ''}`;
}

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
};

export type StatementPlan = { query: string; plan: PlanNode };

export type RequestPlans = {
  request: ApiRequest;
  status: number;
  statements: StatementPlan[];
  /** Sequential scans of the large tables, as "Seq Scan on messages". */
  seqScans: string[];
};

function scansOf(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  if (node['Relation Name'] || node['Index Name']) out.push(node);
  for (const child of node.Plans ?? []) scansOf(child, out);
  return out;
}

/** "Index Scan using messages_created_idx on messages" for each scan node of a plan. */
export function describeScans(plan: PlanNode): string[] {
  return scansOf(plan).map((n) =>
    [
      n['Node Type'],
      n['Index Name'] ? `using ${n['Index Name']}` : '',
      n['Relation Name'] ? `on ${n['Relation Name']}` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
}

function parseNotice(message: string): StatementPlan | null {
  const at = message.indexOf('plan:\n');
  if (at < 0) return null;
  try {
    const parsed = JSON.parse(message.slice(at + 'plan:\n'.length)) as {
      'Query Text'?: string;
      Plan?: PlanNode;
    };
    return parsed.Plan ? { query: parsed['Query Text'] ?? '', plan: parsed.Plan } : null;
  } catch {
    return null;
  }
}

/**
 * Runs requests through their route handlers in this process with `token`, on a database
 * connection that returns every statement's plan, and reports for each request the plans and
 * any sequential scan of a table in `largeTables`. The process-wide database of the app is
 * this connection until close() is called.
 */
export function openPlanCapture(url: string) {
  const notices: string[] = [];
  const sql = postgres(url, {
    max: 1,
    onnotice: (notice) => notices.push(notice.message ?? ''),
    // auto_explain, loaded for this connection only: every statement's plan, sent to the client.
    connection: {
      session_preload_libraries: 'auto_explain',
      'auto_explain.log_min_duration': '0',
      'auto_explain.log_format': 'json',
      'auto_explain.log_level': 'notice',
    } as Record<string, string>,
  });
  setDbHandle({ db: drizzle(sql, { schema }), kind: 'postgres', close: () => sql.end({ timeout: 5 }) });

  return {
    async plansOf(
      request: ApiRequest,
      token: string,
      largeTables: ReadonlySet<string>,
    ): Promise<RequestPlans> {
      const handler = operationHandler(findOperation('GET', request.path));
      notices.length = 0;
      const response = await handler(
        new Request(`http://127.0.0.1${requestPath(request)}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
        { params: Promise.resolve(request.params ?? {}) },
      );
      await response.arrayBuffer();
      const statements = notices.flatMap((n) => parseNotice(n) ?? []);
      const seqScans = statements.flatMap((s) =>
        scansOf(s.plan)
          .filter((n) => n['Node Type'] === 'Seq Scan' && largeTables.has(n['Relation Name'] ?? ''))
          .map((n) => `Seq Scan on ${n['Relation Name']}`),
      );
      return { request, status: response.status, statements, seqScans };
    },
    async close() {
      setDbHandle(undefined);
      await sql.end({ timeout: 5 });
    },
  };
}

/** Tables of the app schema with at least `minRows` rows by the planner's statistics. */
export async function largeTablesOf(url: string, minRows = 10_000): Promise<Set<string>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ name: string }[]>`
      select relname as name from pg_class
      where relnamespace = 'public'::regnamespace and relkind = 'r' and reltuples >= ${minRows}`;
    return new Set(rows.map((r) => r.name));
  } finally {
    await sql.end({ timeout: 5 });
  }
}
