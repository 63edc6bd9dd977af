import { getDbHandle } from '@/db/client';
import type { StaffActor } from '@/lib/auth/actor';
import { DESK_CHANNEL, deskEventSchema, type DeskEvent } from './notify-desk';

type Listener = (event: DeskEvent) => void;
type Hub = { listeners: Set<Listener>; started: Promise<void> | null };

type GlobalWithHub = typeof globalThis & { __deskEventsHub?: Hub };
const g = globalThis as GlobalWithHub;

function hub(): Hub {
  g.__deskEventsHub ??= { listeners: new Set(), started: null };
  return g.__deskEventsHub;
}

function dispatch(payload: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return;
  }
  const event = deskEventSchema.safeParse(parsed);
  if (!event.success) return;
  for (const listener of hub().listeners) listener(event.data);
}

type PostgresListen = { listen: (channel: string, cb: (payload: string) => void) => Promise<unknown> };
type PgliteListen = { listen: (channel: string, cb: (payload: string) => void) => Promise<unknown> };

/**
 * One LISTEN per process on the desk's notification channel — postgres.js `listen` (a dedicated
 * connection it re-establishes after an outage) or PGlite's `listen` on the embedded database —
 * fanned out to every subscriber (the server-sent-events route). Returns the unsubscribe function.
 */
export async function subscribeDeskEvents(listener: Listener): Promise<() => void> {
  const state = hub();
  state.listeners.add(listener);
  state.started ??= (async () => {
    const handle = await getDbHandle();
    const client = (handle.db as unknown as { $client: PostgresListen | PgliteListen }).$client;
    await client.listen(DESK_CHANNEL, dispatch);
  })().catch((error: unknown) => {
    state.started = null; // the next subscriber tries again
    throw error;
  });
  await state.started;
  return () => {
    state.listeners.delete(listener);
  };
}

/**
 * Whether a signed-in person's live view hears an event: admins everything; others events of
 * their departments' clients and of clients assigned to them (an operator's department queue is
 * theirs to see), and operator events of their departments' people. Events carry ids only: what
 * a view then loads goes through the usual permission checks.
 */
export function canSeeDeskEvent(actor: StaffActor, event: DeskEvent): boolean {
  if (actor.role === 'admin') return true;
  if (event.type === 'operator.updated') {
    return (
      actor.role === 'supervisor' || (actor.kind === 'operator' && event.operatorId === actor.operatorId)
    );
  }
  if (actor.kind === 'operator' && event.operatorId === actor.operatorId) return true;
  return event.departmentId !== null && actor.departmentIds.includes(event.departmentId);
}
