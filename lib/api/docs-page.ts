import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The API's documentation page: Swagger UI from the `swagger-ui-dist` package, served by the app
 * itself (no CDN: it works offline and under a strict Content-Security-Policy), rendering
 * /api/v1/openapi.json. Its scripts are files, so the policy needs no inline script.
 */
export const DOCS_ASSETS = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'init.js': { file: null, type: 'text/javascript; charset=utf-8' },
} as const;

export type DocsAsset = keyof typeof DOCS_ASSETS;

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: true,
  });
});
`;

/** The docs page's Content-Security-Policy: its own files only; Swagger UI styles inline and draws data: images. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function docsHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Support desk API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;
}

/** The bytes of one docs asset (from node_modules/swagger-ui-dist, or the page's own init script). */
export async function docsAsset(name: DocsAsset): Promise<string | Buffer> {
  const asset = DOCS_ASSETS[name];
  if (!asset.file) return INIT;
  return fs.readFile(path.join(process.cwd(), 'node_modules', 'swagger-ui-dist', asset.file));
}
