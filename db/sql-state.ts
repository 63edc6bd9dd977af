/** The SQLSTATE of a Postgres error, also when wrapped (drizzle's DrizzleQueryError keeps it in `cause`). */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/** Every string `code` and `errno` along an error's `cause` chain (SQLSTATEs, driver and OS codes). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    for (const key of ['code', 'errno'] as const) {
      const value: unknown = key in current ? (current as Record<string, unknown>)[key] : undefined;
      if (typeof value === 'string' && !codes.includes(value)) codes.push(value);
    }
    current = 'cause' in current ? current.cause : undefined;
  }
  return codes;
}

// The connection failed, not the statement: postgres.js's own codes and the socket's errno.
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_DESTROYED',
]);

/**
 * SQLSTATE classes and codes that describe the database or the session, never the data of one
 * statement (PostgreSQL manual, appendix A "Error Codes"):
 *   08 connection exception · 53 insufficient resources · 57 operator intervention (admin or
 *   crash shutdown, cannot connect now, statement timeout) · 58 system error (I/O) · 40 transaction
 *   rollback (serialization failure, deadlock) · XX internal error · 42 and 3D/3F/28/0A a schema or
 *   setup that does not fit the code (a migration not applied, a cached plan after one) ·
 *   25006 read-only transaction (a standby after failover) · 25P03/25P04 transaction timeouts ·
 *   55P03 lock not available · 55006 object in use.
 */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58', '40', 'XX', '42', '3D', '3F', '28', '0A']);
const UNAVAILABLE_SQLSTATES = new Set(['25006', '25P03', '25P04', '55P03', '55006']);

/**
 * True when an error says the database is unreachable or unable to serve any statement right now
 * — a closed, reset, refused or timed-out connection, a shutting-down or recovering server, a
 * transient conflict — rather than anything about the data a statement carried. Retrying the
 * same work later is the right answer to these.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return errorCodes(error).some(
    (code) =>
      CONNECTION_CODES.has(code) ||
      UNAVAILABLE_SQLSTATES.has(code) ||
      (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.has(code.slice(0, 2))),
  );
}

/**
 * True when Postgres refused a statement because of the values it carried: class 22 (data
 * exception — a character the encoding cannot hold, a number or date out of range, a string too
 * long) and class 54 (program limit exceeded — e.g. an index row too large), plus postgres.js's
 * refusal of a statement with too many parameters. Sending the same values again fails again.
 */
export function isDataRejected(error: unknown): boolean {
  return errorCodes(error).some(
    (code) =>
      code === 'MAX_PARAMETERS_EXCEEDED' ||
      (/^[0-9A-Z]{5}$/.test(code) && (code.startsWith('22') || code.startsWith('54'))),
  );
}
