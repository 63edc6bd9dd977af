// `npm run token:create -- --role supervisor --department Billing [--department …] [--name …]
// [--expires-in-days N | --expires-at ISO]`: creates a REST API token as the system actor (the
// audit trail records it as "token:create script") and prints it once. Departments are named by
// name (any case) or id. Exits 1 with a message on bad input.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { closeDb, getDbHandle, PgliteInUseError, type DbOrTx, type Db } from '@/db/client';
import { departments, operatorRole } from '@/db/schema';
import type { ApiTokenDto } from '@/lib/api-tokens/api-token-dto';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { systemActor } from '@/lib/auth/actor';
import { toProblem } from '@/lib/errors';

export const TOKEN_CREATE_USAGE = `Usage: npm run token:create -- --role <admin|supervisor|operator> [options]

  --role <role>            what the token may do, as an operator of that role (required)
  --department <name|id>   a department the token works in; repeat for several
                           (required for supervisor and operator tokens, refused for admin ones)
  --name <text>            a label for the token list (default: "<role> token (CLI)")
  --expires-in-days <n>    the token stops working n days from now (1–3650)
  --expires-at <instant>   or at this ISO 8601 instant, e.g. 2027-01-31T00:00:00Z
  -h, --help               this text

Without an expiry the token works until it is revoked.`;

/** Bad command-line input: the message says what to fix; the usage text follows it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const MAX_EXPIRY_DAYS = 3650;

const argsSchema = z
  .object({
    role: z.enum(operatorRole.enumValues, {
      error: (issue) =>
        issue.input === undefined
          ? '--role is required (admin, supervisor or operator).'
          : `--role must be admin, supervisor or operator, not "${String(issue.input)}".`,
    }),
    department: z.array(z.string().trim().min(1, '--department needs a name or an id.')).default([]),
    name: z
      .string()
      .trim()
      .min(1, '--name must not be empty.')
      .max(100, '--name is at most 100 characters.')
      .optional(),
    'expires-in-days': z
      .string()
      .regex(/^\d+$/, '--expires-in-days must be a whole number of days.')
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, '--expires-in-days must be at least 1.')
          .max(MAX_EXPIRY_DAYS, `--expires-in-days is at most ${MAX_EXPIRY_DAYS}.`),
      )
      .optional(),
    'expires-at': z.iso
      .datetime({
        offset: true,
        error: '--expires-at must be an ISO 8601 instant with a time zone, e.g. 2027-01-31T00:00:00Z.',
      })
      .optional(),
    help: z.boolean().optional(),
  })
  .strict()
  .superRefine((args, ctx) => {
    if (args['expires-in-days'] !== undefined && args['expires-at'] !== undefined)
      ctx.addIssue({ code: 'custom', message: 'Give --expires-in-days or --expires-at, not both.' });
    if (args.role === 'admin' && args.department.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: 'An admin token works in every department: leave out --department.',
      });
    if (args.role !== 'admin' && args.department.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: `A ${args.role} token needs at least one --department.`,
      });
  });

export type TokenCreateArgs = z.output<typeof argsSchema>;

/** The command line as options (node:util parseArgs), then checked with zod. Throws UsageError. */
export function parseTokenCreateArgs(argv: string[]): TokenCreateArgs {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        department: { type: 'string', multiple: true },
        name: { type: 'string' },
        'expires-in-days': { type: 'string' },
        'expires-at': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs explains unknown options, missing values and stray words itself.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) throw new UsageError('');
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}

type DepartmentRef = { id: string; name: string; isActive: boolean };

/**
 * Each reference (a department id, or a name compared case-insensitively, as the unique index
 * does) to its department, in the order given, without repeats. Throws UsageError naming the
 * unknown ones and the departments that exist.
 */
export async function resolveDepartments(db: DbOrTx, refs: string[]): Promise<DepartmentRef[]> {
  if (refs.length === 0) return [];
  const ids = refs.filter((r) => z.uuid().safeParse(r).success);
  const names = refs.map((r) => r.toLowerCase());
  const rows = await db
    .select({ id: departments.id, name: departments.name, isActive: departments.isActive })
    .from(departments)
    .where(
      ids.length > 0
        ? sql`${inArray(departments.id, ids)} or ${inArray(sql`lower(${departments.name})`, names)}`
        : inArray(sql`lower(${departments.name})`, names),
    );
  const found = new Map<string, DepartmentRef>();
  const unknown: string[] = [];
  for (const ref of refs) {
    const row = rows.find((d) => d.id === ref || d.name.toLowerCase() === ref.toLowerCase());
    if (row) found.set(row.id, row);
    else unknown.push(ref);
  }
  if (unknown.length > 0) {
    const all = await db
      .select({ name: departments.name })
      .from(departments)
      .orderBy(departments.sortOrder, departments.name);
    const list = all.length > 0 ? all.map((d) => d.name).join(', ') : 'none yet';
    throw new UsageError(
      `Unknown department${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => `"${u}"`).join(', ')}. Departments: ${list}.`,
    );
  }
  return [...found.values()];
}

export type TokenCreated = {
  created: ApiTokenDto & { token: string };
  departments: DepartmentRef[];
  /** What the command prints: the token once, its details and the warning. */
  report: string;
};

/**
 * The command without the process around it: with the parsed arguments, resolves the departments, creates
 * the token through createApiToken as the system actor (audited) and returns it with the text
 * to print. `now` (for the expiry) is the clock. Errors: UsageError for bad arguments or unknown
 * departments; AppError or ZodError from createApiToken.
 */
export async function tokenCreate({
  db,
  args,
  now = new Date(),
}: {
  db: Db;
  args: TokenCreateArgs;
  now?: Date;
}): Promise<TokenCreated> {
  const scope = await resolveDepartments(db, args.department);
  const expiresAt =
    args['expires-in-days'] !== undefined
      ? new Date(now.getTime() + args['expires-in-days'] * 86_400_000)
      : args['expires-at'] !== undefined
        ? new Date(args['expires-at'])
        : undefined;
  const created = await createApiToken({
    db,
    actor: systemActor('token:create script'),
    now,
    input: {
      name: args.name ?? `${args.role} token (CLI)`,
      role: args.role,
      departmentIds: scope.map((d) => d.id),
      ...(expiresAt ? { expiresAt } : {}),
    },
  });
  return { created, departments: scope, report: formatReport(created, scope) };
}

function formatReport(created: ApiTokenDto & { token: string }, scope: DepartmentRef[]): string {
  const departmentsLine =
    created.role === 'admin'
      ? 'every department (admin)'
      : scope.map((d) => (d.isActive ? d.name : `${d.name} (inactive)`)).join(', ');
  return [
    'API token created. Copy it now: it is shown only this once and cannot be shown again',
    '(the desk keeps only its hash). Lost it? Revoke it and create another.',
    '',
    `  ${created.token}`,
    '',
    `  id          ${created.id}`,
    `  name        ${created.name}`,
    `  prefix      ${created.prefix}…`,
    `  role        ${created.role}`,
    `  scope       ${departmentsLine}`,
    `  expires     ${created.expiresAt ?? 'never (until revoked)'}`,
    '',
    'Send it as the header  Authorization: Bearer <token>',
  ].join('\n');
}

async function main(): Promise<void> {
  // Arguments first: a typo is reported without opening (or migrating) the database.
  const args = parseTokenCreateArgs(process.argv.slice(2));
  const { db } = await getDbHandle();
  const { report } = await tokenCreate({ db, args });
  console.log(report);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main()
    .catch((error: unknown) => {
      if (error instanceof UsageError) {
        // --help alone (an empty message) is not a failure.
        if (!error.message) return console.log(TOKEN_CREATE_USAGE);
        console.error(`${error.message}\n\n${TOKEN_CREATE_USAGE}`);
        process.exitCode = 1;
        return;
      }
      if (error instanceof PgliteInUseError) {
        console.error(`token:create failed: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      const problem = toProblem(error);
      console.error(`token:create failed: ${problem.detail}`);
      if (problem.status >= 500) console.error(error);
      process.exitCode = 1;
    })
    .finally(() => closeDb());
}
