import { and, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { operatorDepartments, operatorRole, operators, operatorStatus } from '@/db/schema';
import { booleanParam, listParam } from '@/lib/api/query-params';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { defineList, type ListPage } from '@/lib/pagination/list-input';
import { escapeLike } from '@/lib/pagination/page';
import { operatorDtoColumns, toOperatorDtos, type OperatorDto } from './get-operator-or-throw';
import { operatorScopeWhere } from './operator-scope';

/** The operators list's query (REST API `GET /operators`, the dashboard's operators view). */
export const operatorList = defineList({
  filters: {
    role: listParam(z.enum(operatorRole.enumValues)).meta({ description: 'Roles, comma-separated.' }),
    status: listParam(z.enum(operatorStatus.enumValues)).meta({
      description: 'Presence (online, away, offline), comma-separated.',
    }),
    isActive: booleanParam(),
    /** Members of this department. */
    departmentId: z.uuid(),
  },
  ordering: ['name', 'status', 'lastSeenAt', 'activeClients', 'createdAt'],
  defaultOrdering: 'name',
  search: true,
});

export type ListOperatorsInput = z.input<typeof operatorList.schema>;

const orderColumns = {
  name: sql`lower(${operators.name})`,
  status: operators.status,
  lastSeenAt: operators.lastSeenAt,
  activeClients: operators.activeClients,
  createdAt: operators.createdAt,
} as const;

/**
 * A page of the operators the actor may see (operatorScopeWhere), filtered, searched (name or
 * email, case-insensitive substring) and ordered — missing values last, ties by id — with the
 * total count (a small table: counted exactly). Errors: `forbidden` for non-staff actors;
 * invalid input throws a ZodError.
 */
export async function listOperators({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: ListOperatorsInput;
}): Promise<ListPage<OperatorDto>> {
  const staff = requireStaff(actor);
  const q = operatorList.schema.parse(input);
  const conditions: (SQL | undefined)[] = [operatorScopeWhere(staff)];
  if (q.role) conditions.push(inArray(operators.role, q.role));
  if (q.status) conditions.push(inArray(operators.status, q.status));
  if (q.isActive !== undefined) conditions.push(eq(operators.isActive, q.isActive));
  if (q.departmentId) {
    conditions.push(
      sql`exists (select 1 from ${operatorDepartments}
        where ${operatorDepartments.operatorId} = ${operators.id}
          and ${operatorDepartments.departmentId} = ${q.departmentId})`,
    );
  }
  if (q.search) {
    const term = `%${escapeLike(q.search.toLowerCase())}%`;
    conditions.push(
      or(sql`lower(${operators.name}) like ${term}`, sql`lower(${operators.email}) like ${term}`),
    );
  }
  const where = and(...conditions);
  const descending = q.ordering.startsWith('-');
  const field = (descending ? q.ordering.slice(1) : q.ordering) as keyof typeof orderColumns;
  const column = orderColumns[field];
  const ordering = descending
    ? [sql`${column} desc nulls last`, sql`${operators.id} desc`]
    : [sql`${column} asc nulls last`, sql`${operators.id} asc`];
  const [rows, totals] = await Promise.all([
    db
      .select(operatorDtoColumns)
      .from(operators)
      .where(where)
      .orderBy(...ordering)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ value: count() }).from(operators).where(where),
  ]);
  return {
    count: totals[0]?.value ?? 0,
    page: q.page,
    pageSize: q.pageSize,
    results: await toOperatorDtos(db, actor, rows),
  };
}
