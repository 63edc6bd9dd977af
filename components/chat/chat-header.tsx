'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { bulkClientsAction } from '@/app/(dashboard)/clients/actions';
import { claimClientAction, reopenClientAction } from '@/app/(dashboard)/clients/[id]/actions';
import type { OperatorRole } from '@/db/schema';
import { clientLabel } from '@/lib/clients/client-label';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { ActionResult } from '@/lib/errors';
import type { OperatorOption } from '@/lib/operators/list-operator-options';
import { ClientStatusBadge } from '../client-status-badge';

const OPEN = ['new', 'in_progress', 'waiting'];
const QUEUE = '__queue__';

export type ChatViewer = { operatorId: string; role: OperatorRole };

/**
 * The chat's header: who the client is, their status, department and operator, and what the
 * viewer may do with them — take, assign (managers: any operator of the client's department, or
 * back to the queue; an operator: their own client back to the queue), transfer, resolve, reopen.
 * Each goes through its lib/clients transition; a refusal is shown with its reason.
 */
export function ChatHeader({
  client,
  viewer,
  operators,
  departments,
  onChanged,
  onResolve,
  resolving,
  onShowPanel,
  onShowHelp,
  notice,
}: {
  client: ClientDto;
  viewer: ChatViewer;
  operators: OperatorOption[];
  departments: DepartmentOption[];
  onChanged: () => Promise<void>;
  onResolve: () => void;
  resolving: boolean;
  onShowPanel: () => void;
  onShowHelp: () => void;
  /** A message from the chat around the header (a refused shortcut, no next conversation). */
  notice: string | null;
}) {
  const t = useTranslations('chat');
  const ta = useTranslations('chat.actions');
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const open = OPEN.includes(client.status);
  const manager = viewer.role === 'admin' || viewer.role === 'supervisor';
  const mine = client.assignedOperatorId === viewer.operatorId;
  const eligible = operators.filter(
    (o) =>
      o.id !== client.assignedOperatorId &&
      client.departmentId !== null &&
      o.departmentIds.includes(client.departmentId),
  );
  const otherDepartments = departments.filter((d) => d.id !== client.departmentId);

  const run = (action: () => Promise<ActionResult<unknown>>) =>
    startTransition(async () => {
      const result = await action();
      setError(result.ok ? null : ta('refused', { reason: result.message }));
      await onChanged();
    });
  const bulk = (input: Parameters<typeof bulkClientsAction>[0]) =>
    run(async () => {
      const result = await bulkClientsAction(input);
      const refused = result.ok ? result.data.refused[0] : undefined;
      return refused ? { ok: false, code: 'conflict', message: refused.reason } : result;
    });
  const busy = pending || resolving;

  return (
    <header className="flex flex-col gap-2 rounded-box bg-base-100 p-2 sm:p-3" data-testid="chat-header">
      <div className="flex flex-wrap items-center gap-2">
        <Link href="/clients" className="btn btn-ghost btn-sm btn-square" aria-label={t('back')}>
          ←
        </Link>
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-lg font-semibold sm:text-xl" data-testid="client-name">
            <bdi>{clientLabel(client)}</bdi>
          </h1>
          <p className="truncate text-xs opacity-70">
            {client.username ? `@${client.username} · ` : ''}
            {t('telegramId', { id: String(client.telegramUserId) })}
            {client.language ? ` · ${client.language}` : ''}
          </p>
        </div>
        <button type="button" className="btn btn-ghost btn-sm xl:hidden" onClick={onShowPanel}>
          {ta('info')}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm btn-square"
          aria-label={ta('shortcuts')}
          title={ta('shortcuts')}
          onClick={onShowHelp}
        >
          ?
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <ClientStatusBadge status={client.status} />
        <span className="badge badge-ghost" data-testid="client-department">
          {t('department', { name: client.departmentName ?? t('noDepartment') })}
        </span>
        <span className="badge badge-ghost" data-testid="client-operator">
          {t('operator', {
            name: client.assignedOperatorName ?? (client.queuedAt ? t('inQueue') : t('noOperator')),
          })}
        </span>
        <div className="flex flex-wrap items-center gap-2 sm:ml-auto">
          {open && client.assignedOperatorId === null && (
            <button
              type="button"
              className="btn btn-primary btn-sm"
              disabled={busy}
              onClick={() => run(() => claimClientAction(client.id))}
            >
              {ta('take')}
            </button>
          )}
          {open && manager && (
            <select
              className="select select-sm w-40"
              aria-label={ta('assign')}
              value=""
              disabled={busy}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (!value) return;
                bulk({
                  action: 'assign',
                  clientIds: [client.id],
                  operatorId: value === QUEUE ? null : value,
                });
              }}
            >
              <option value="">{ta('assignPlaceholder')}</option>
              {eligible.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
              {client.assignedOperatorId !== null && <option value={QUEUE}>{ta('toQueue')}</option>}
            </select>
          )}
          {open && !manager && mine && (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              disabled={busy}
              onClick={() => bulk({ action: 'assign', clientIds: [client.id], operatorId: null })}
            >
              {ta('returnToQueue')}
            </button>
          )}
          {client.status !== 'blocked' && otherDepartments.length > 0 && (
            <select
              className="select select-sm w-40"
              aria-label={ta('transfer')}
              value=""
              disabled={busy}
              onChange={(e) => {
                const departmentId = e.currentTarget.value;
                if (departmentId) bulk({ action: 'transfer', clientIds: [client.id], departmentId });
              }}
            >
              <option value="">{ta('transferPlaceholder')}</option>
              {otherDepartments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
          {open && (
            <button type="button" className="btn btn-success btn-sm" disabled={busy} onClick={onResolve}>
              {resolving ? <span className="loading loading-spinner loading-xs" /> : ta('resolve')}
            </button>
          )}
          {client.status === 'resolved' && (
            <button
              type="button"
              className="btn btn-warning btn-sm"
              disabled={busy}
              onClick={() => run(() => reopenClientAction(client.id))}
            >
              {ta('reopen')}
            </button>
          )}
        </div>
      </div>
      {error && (
        <div role="alert" className="alert alert-error py-2 text-sm" data-testid="chat-error">
          {error}
        </div>
      )}
      {notice && (
        <div role="status" className="alert alert-info alert-soft py-2 text-sm" data-testid="chat-notice">
          {notice}
        </div>
      )}
    </header>
  );
}
