import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const GET = apiRoute('GET', '/clients/{id}/messages');
export const POST = apiRoute('POST', '/clients/{id}/messages');
