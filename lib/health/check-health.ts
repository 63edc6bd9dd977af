import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export type Health = { status: 'ok' | 'degraded'; db: 'ok' | 'error' };

export async function checkHealth(getDb: () => Promise<Db>): Promise<Health> {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return { status: 'ok', db: 'ok' };
  } catch (error) {
    console.error('health check: database unavailable:', error instanceof Error ? error.message : error);
    return { status: 'degraded', db: 'error' };
  }
}
