import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { getAuthOptions } from '@/lib/auth/auth-options';
import { AppError, problemResponse } from '@/lib/errors';
import { requestContextFromHeaders } from '@/lib/http/client-ip';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Sign-in forms post a few short fields; anything bigger is not ours.
const MAX_BODY_CHARS = 64 * 1024;

/**
 * next-auth parses a JSON body without a guard (a malformed one became a 500). Accept a form
 * body as it is, and a JSON body only when it is one flat object, re-encoded as a form; refuse
 * anything else with 400 before next-auth sees it.
 */
async function wellFormed(request: NextRequest): Promise<NextRequest | null> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/json') && !type.includes('application/x-www-form-urlencoded'))
    return request;
  const text = await request.clone().text();
  if (text.length > MAX_BODY_CHARS) return null;
  if (!type.includes('application/json')) return request;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const form = new URLSearchParams();
  for (const [key, field] of Object.entries(value)) {
    if (typeof field !== 'string' && typeof field !== 'number' && typeof field !== 'boolean') return null;
    form.set(key, String(field));
  }
  const headers = new Headers(request.headers);
  headers.set('content-type', 'application/x-www-form-urlencoded');
  return new NextRequest(request.url, { method: 'POST', headers, body: form.toString() });
}

async function handler(request: NextRequest, context: Ctx) {
  const checked = request.method === 'POST' ? await wellFormed(request) : request;
  if (!checked) return problemResponse(new AppError('bad_request', 'Malformed request body.'));
  return NextAuth(getAuthOptions({ context: requestContextFromHeaders(request.headers) }))(checked, context);
}

export { handler as GET, handler as POST };
