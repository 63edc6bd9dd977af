import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { departments } from '@/db/schema';
import { booleanParam } from '@/lib/api/query-params';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { defineList, type ListPage } from '@/lib/pagination/list-input';
import { escapeLike } from '@/lib/pagination/page';
import { toDepartmentDto, type DepartmentDto } from './get-department-or-throw';

/** The departments list's query (REST API `GET /departments`, the dashboard's settings). */
export const departmentList = defineList({
  filters: {
    /** Only active (true) or deactivated (false) departments. */
    isActive: booleanParam(),
  },
  ordering: ['sortOrder', 'name', 'createdAt'],
  defaultOrdering: 'sortOrder',
  search: true,
});

export type ListDepartmentsInput = z.input<typeof departmentList.schema>;

const orderColumns = {
  sortOrder: departments.sortOrder,
  name: sql`lower(${departments.name})`,
  createdAt: departments.createdAt,
} as const;

/**
 * A page of departments — every staff member sees all of them (see getDepartmentOrThrow) —
 * filtered by `isActive`, searched by name (case-insensitive substring), ordered (ties by name,
 * then id), with the total count (a small table: counted exactly). Errors: `forbidden` for
 * non-staff actors; invalid input throws a ZodError.
 */
export async function listDepartments({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: ListDepartmentsInput;
}): Promise<ListPage<DepartmentDto>> {
  requireStaff(actor);
  const q = departmentList.schema.parse(input);
  const conditions: (SQL | undefined)[] = [];
  if (q.isActive !== undefined) conditions.push(eq(departments.isActive, q.isActive));
  if (q.search) {
    conditions.push(sql`lower(${departments.name}) like ${`%${escapeLike(q.search.toLowerCase())}%`}`);
  }
  const where = and(...conditions);
  const descending = q.ordering.startsWith('-');
  const field = (descending ? q.ordering.slice(1) : q.ordering) as keyof typeof orderColumns;
  const direction = descending ? desc : asc;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(departments)
      .where(where)
      .orderBy(
        direction(orderColumns[field]),
        direction(sql`lower(${departments.name})`),
        direction(departments.id),
      )
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ value: count() }).from(departments).where(where),
  ]);
  const now = new Date();
  return {
    count: totals[0]?.value ?? 0,
    page: q.page,
    pageSize: q.pageSize,
    results: rows.map((row) => toDepartmentDto(row, now)),
  };
}
