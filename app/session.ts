import 'server-only';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import type { OperatorActor } from '@/lib/auth/actor';
import { getAuthOptions } from '@/lib/auth/auth-options';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';

/** The signed-in operator as a domain actor, or null. */
export async function getSessionActor(): Promise<OperatorActor | null> {
  const session = await getServerSession(getAuthOptions());
  const operatorId = session?.user?.id;
  if (!operatorId) return null;
  const h = await headers();
  const ip = h.get('x-forwarded-for')?.split(',')[0]?.trim() ?? h.get('x-real-ip');
  return getOperatorActor({ db: await getDb(), operatorId, context: { ip, userAgent: h.get('user-agent') } });
}

export async function requireSessionActor(): Promise<OperatorActor> {
  const actor = await getSessionActor();
  if (!actor) redirect('/login');
  return actor;
}
