import Link from 'next/link';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { clientStatus } from '@/db/schema';
import { listClients } from '@/lib/clients/list-clients';
import { ClientsTable } from '@/components/clients-table';

export const dynamic = 'force-dynamic';

const searchSchema = z.object({
  status: z.enum(clientStatus.enumValues).optional().catch(undefined),
  search: z.string().max(200).optional().catch(undefined),
  unassigned: z.enum(['true']).optional().catch(undefined),
  queue: z.enum(['true']).optional().catch(undefined),
  mine: z.enum(['true']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

const tabs = [
  { label: 'All', status: undefined },
  { label: 'New', status: 'new' },
  { label: 'In progress', status: 'in_progress' },
  { label: 'Waiting', status: 'waiting' },
  { label: 'Resolved', status: 'resolved' },
  { label: 'Blocked', status: 'blocked' },
] as const;

export default async function ClientsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const q = searchSchema.parse(await searchParams);
  const page = await listClients({
    db: await getDb(),
    actor,
    input: {
      status: q.status,
      search: q.search,
      // The queue: clients nobody has, the longest-waiting first.
      ...(q.unassigned === 'true' || q.queue === 'true'
        ? { unassigned: true, ordering: 'queuedAt' as const }
        : {}),
      ...(q.mine === 'true' ? { assignedOperatorId: actor.operatorId } : {}),
      page: q.page,
      pageSize: 50,
    },
  });
  const pages = Math.max(1, Math.ceil(page.count / page.pageSize));
  const href = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    const merged = {
      status: q.status,
      search: q.search,
      unassigned: q.unassigned,
      queue: q.queue,
      mine: q.mine,
      ...extra,
    };
    for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
    return `/clients?${params.toString()}`;
  };
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">
          {q.unassigned || q.queue ? 'Queue' : q.mine ? 'My clients' : 'Clients'}
        </h1>
        <span className="badge badge-ghost">{page.count}</span>
        <form className="ml-auto" action="/clients">
          {q.status && <input type="hidden" name="status" value={q.status} />}
          <input
            name="search"
            defaultValue={q.search}
            placeholder="Search name, @username, id"
            className="input input-sm w-64"
          />
        </form>
      </div>
      <div role="tablist" className="tabs tabs-box w-fit">
        {tabs.map((t) => (
          <Link
            key={t.label}
            role="tab"
            href={href({ status: t.status, page: undefined })}
            className={`tab ${q.status === t.status ? 'tab-active' : ''}`}
          >
            {t.label}
          </Link>
        ))}
      </div>
      <ClientsTable clients={page.results} />
      {pages > 1 && (
        <div className="join self-center">
          {q.page > 1 && (
            <Link className="join-item btn btn-sm" href={href({ page: String(q.page - 1) })}>
              «
            </Link>
          )}
          <span className="join-item btn btn-sm btn-disabled">
            Page {q.page} of {pages}
          </span>
          {q.page < pages && (
            <Link className="join-item btn btn-sm" href={href({ page: String(q.page + 1) })}>
              »
            </Link>
          )}
        </div>
      )}
    </div>
  );
}
