import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const GET = apiRoute('GET', '/departments/{id}');
export const PATCH = apiRoute('PATCH', '/departments/{id}');
