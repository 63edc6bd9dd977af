import { DOCS_CSP, docsHtml } from '@/lib/api/docs-page';

export const dynamic = 'force-dynamic';

/** /api/docs: the REST API's documentation (Swagger UI on /api/v1/openapi.json), offline. */
export function GET() {
  return new Response(docsHtml(), {
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DOCS_CSP },
  });
}
