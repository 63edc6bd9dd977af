import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client';
import { rowsOf } from './rows';

/** SQLSTATE of desk_abort() (migration 0002): a pipelined transaction refused to commit. */
export const DESK_ABORT_SQLSTATE = 'DA001';

type Row = Record<string, unknown>;

/** The part of a postgres.js reserved connection used here. */
type ReservedSql = {
  unsafe: (
    query: string,
    params?: unknown[],
    options?: { prepare: boolean },
  ) => PromiseLike<Row[]> & { execute: () => unknown };
  release: () => void;
};
type PostgresJsSql = {
  reserve: () => Promise<ReservedSql>;
  unsafe: (query: string, params: unknown[], options: { prepare: boolean }) => PromiseLike<Row[]>;
};

const dialect = new PgDialect();

const COMMIT_NOW = `commit /* ${'-'.repeat(1024)} */`;

/**
 * A statement turned into SQL text once, its values given per call by name: drizzle builds the
 * text of a large statement from nested templates on every call otherwise, which on the ingest
 * hot path cost about a tenth of the server's CPU. Build it with `sql.placeholder(name)` for
 * every value; `bind` it to the values of one call.
 */
export type CompiledStatement = { text: string; params: unknown[] };

/** A compiled statement with the values of one call. */
export type BoundStatement = { compiled: CompiledStatement; values: Record<string, unknown> };

/** Compiles a statement built with `sql.placeholder(name)` for its values (see CompiledStatement). */
export function compileStatement(statement: SQL): CompiledStatement {
  const query = dialect.sqlToQuery(statement);
  return { text: query.sql, params: query.params };
}

export function bind(compiled: CompiledStatement, values: Record<string, unknown>): BoundStatement {
  return { compiled, values };
}

function toQuery(statement: SQL | BoundStatement): { sql: string; params: unknown[] } {
  if ('compiled' in statement) {
    return {
      sql: statement.compiled.text,
      params: fillPlaceholders(statement.compiled.params, statement.values),
    };
  }
  return dialect.sqlToQuery(statement);
}

type PgliteClient = {
  query: (text: string, params?: unknown[]) => Promise<{ rows: Row[] }>;
  transaction: <T>(fn: (tx: { query: PgliteClient['query'] }) => Promise<T>) => Promise<T>;
};

function pgliteClient(db: Db): PgliteClient {
  return (db as unknown as { $client: PgliteClient }).$client;
}

function postgresJsClient(db: Db): PostgresJsSql | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  return typeof client === 'function' && 'reserve' in client ? (client as unknown as PostgresJsSql) : null;
}

/**
 * Runs one statement (autocommitted) and returns its rows. On postgres.js the statement is
 * prepared once per connection and reused: drizzle's `execute` asks postgres.js not to prepare,
 * which costs a Describe round trip before every parameterized query and a fresh parse and plan
 * in Postgres. For the hottest statements that is most of their cost. The text must be stable
 * (values as parameters, never inlined) or the per-connection cache grows with every variant.
 */
export async function executePrepared(db: Db, statement: SQL | BoundStatement): Promise<Row[]> {
  const client = postgresJsClient(db);
  if (!client) {
    if (!('compiled' in statement)) return rowsOf<Row>(await db.execute(statement));
    const query = toQuery(statement);
    return (await pgliteClient(db).query(query.sql, query.params)).rows;
  }
  const query = toQuery(statement);
  return [...(await client.unsafe(query.sql, query.params, { prepare: true }))];
}

/**
 * Runs `statements` as one transaction and returns each one's rows. On postgres.js, BEGIN, the
 * statements and COMMIT are written to one connection at once (pipelined), so Postgres runs them
 * back to back without a round trip to this process in between: locks taken by a statement are
 * held until the COMMIT that is already waiting behind it. Any error rolls it all back (Postgres
 * turns the COMMIT of a failed transaction into a ROLLBACK) and is thrown; SQL that must not be
 * committed under some condition calls desk_abort(). On PGlite (in-process, one connection) the
 * statements run one by one in an ordinary transaction.
 */
export async function pipelinedTransaction(db: Db, statements: (SQL | BoundStatement)[]): Promise<Row[][]> {
  const client = postgresJsClient(db);
  if (!client) {
    return pgliteClient(db).transaction(async (tx) => {
      const results: Row[][] = [];
      for (const statement of statements) {
        const query = toQuery(statement);
        results.push((await tx.query(query.sql, query.params)).rows);
      }
      return results;
    });
  }
  const reserved = await client.reserve();
  try {
    const queries = [
      reserved.unsafe('begin'),
      ...statements.map((statement) => {
        const query = toQuery(statement);
        return reserved.unsafe(query.sql, query.params, { prepare: true }); // as executePrepared
      }),
      // postgres.js holds writes under 1 KB until the next turn of the event loop; on a busy
      // server that turn can take milliseconds, and the statements' locks would be held while
      // the COMMIT waits in this process. A COMMIT of over 1 KB (unprepared, so its text is sent
      // each time) is written at once, together with everything queued before it. Measured with
      // every update a new client: 881–929 against 833–838 updates/s with a plain COMMIT.
      reserved.unsafe(COMMIT_NOW, [], { prepare: false }),
    ];
    // postgres.js sends a query when it is executed or awaited: execute all now, in order.
    for (const query of queries) query.execute();
    const settled = await Promise.allSettled(queries);
    // The first failure is the cause; the statements after it fail as "transaction aborted".
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return settled.slice(1, -1).map((result) => (result.status === 'fulfilled' ? [...result.value] : []));
  } finally {
    reserved.release();
  }
}
