import type { OperatorRole } from '@/db/schema';

/** Where a request came from, for the audit trail. */
export type RequestContext = { ip?: string | null; userAgent?: string | null };

export type OperatorActor = {
  kind: 'operator';
  operatorId: string;
  name: string;
  role: OperatorRole;
  departmentIds: string[];
  context?: RequestContext;
};

export type ApiTokenActor = {
  kind: 'api_token';
  tokenId: string;
  name: string;
  role: OperatorRole;
  departmentIds: string[];
  context?: RequestContext;
};

export type TelegramActor = { kind: 'telegram'; telegramUserId: number; name: string };

export type SystemActor = { kind: 'system'; name: string };

/** Who is doing something. Every domain function takes one and checks it itself. */
export type Actor = OperatorActor | ApiTokenActor | TelegramActor | SystemActor;

/** Actors that act with a role: people signed in and API tokens. */
export type StaffActor = OperatorActor | ApiTokenActor;

export function systemActor(name = 'system'): SystemActor {
  return { kind: 'system', name };
}

export function isStaff(actor: Actor): actor is StaffActor {
  return actor.kind === 'operator' || actor.kind === 'api_token';
}
