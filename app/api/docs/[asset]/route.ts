import { DOCS_ASSETS, DOCS_CSP, docsAsset, type DocsAsset } from '@/lib/api/docs-page';

export const dynamic = 'force-dynamic';

/** The docs page's scripts and styles, from the installed swagger-ui-dist package. */
export async function GET(_request: Request, { params }: { params: Promise<{ asset: string }> }) {
  const { asset } = await params;
  if (!Object.hasOwn(DOCS_ASSETS, asset)) return new Response('Not found', { status: 404 });
  const name = asset as DocsAsset;
  const body = await docsAsset(name);
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    headers: {
      'content-type': DOCS_ASSETS[name].type,
      'cache-control': 'public, max-age=86400',
      'content-security-policy': DOCS_CSP,
    },
  });
}
