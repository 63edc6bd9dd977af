import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const PATCH = apiRoute('PATCH', '/clients/{id}/messages/{message_id}');
export const DELETE = apiRoute('DELETE', '/clients/{id}/messages/{message_id}');
