import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { isWellFormedPageBody } from '@/lib/http/post-body';
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from '@/lib/http/security-headers';

function badRequest(): Response {
  return Response.json(
    {
      type: 'about:blank#bad_request',
      title: 'bad request',
      status: 400,
      detail: 'Malformed request body.',
      code: 'bad_request',
    },
    { status: 400, headers: { 'content-type': 'application/problem+json' } },
  );
}

/**
 * Per-request security headers for pages: a nonce-based Content-Security-Policy (Next.js reads
 * the policy from the request and puts the nonce on its scripts) and, when APP_URL is https,
 * Strict-Transport-Security. The headers that never change are set in next.config.mjs for every
 * path; API routes get their own strict policy there. A POST to a page (a server action) whose
 * body Next.js could not decode is answered 400 here instead of a 500 there.
 */
export async function proxy(request: NextRequest) {
  if (request.method === 'POST') {
    const body = new Uint8Array(await request.clone().arrayBuffer());
    const contentType = request.headers.get('content-type');
    if (!isWellFormedPageBody({ contentType, isAction: request.headers.has('next-action'), body })) {
      return badRequest();
    }
  }
  const env = getEnv();
  const https = env.APP_URL.startsWith('https://');
  const csp = contentSecurityPolicy({
    nonce: newNonce(),
    https,
    development: env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  if (https) response.headers.set('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages (and the server actions posted to them) only: API routes, the Telegram webhook
      // above all, skip this work. Action bodies are buffered up to proxyClientMaxBodySize.
      source: '/((?!api/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
