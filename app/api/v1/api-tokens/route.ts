import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const GET = apiRoute('GET', '/api-tokens');
export const POST = apiRoute('POST', '/api-tokens');
