import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const GET = apiRoute('GET', '/operators/{id}/stats');
