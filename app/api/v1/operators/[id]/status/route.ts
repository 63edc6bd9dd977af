import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const POST = apiRoute('POST', '/operators/{id}/status');
