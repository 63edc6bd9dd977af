import { getDb } from '@/db/client';
import { checkHealth } from '@/lib/health/check-health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await checkHealth(getDb);
  return Response.json(health, { status: health.db === 'ok' ? 200 : 503 });
}
