import createNextIntlPlugin from 'next-intl/plugin';

// Dashboard texts in every language (messages/<locale>.json), chosen per request in i18n/request.ts.
const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

// Headers that are the same on every response. The page Content-Security-Policy (with a nonce)
// and HSTS (which depends on APP_URL at run time) are set per request in proxy.ts.
const everywhere = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Cross-origin requests get the origin only: no client ids from dashboard URLs leak out.
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // For browsers that predate CSP's frame-ancestors.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: '/:path*', headers: everywhere },
      // JSON, files and event streams: nothing in them may run or be framed.
      {
        // /api/docs (the API's documentation page) sets its own policy.
        source: '/api/:path((?!docs).*)',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
  // The Dockerfile builds the self-contained server (BUILD_STANDALONE=1); `next start` runs the
  // regular build locally and in tests.
  output: process.env.BUILD_STANDALONE === '1' ? 'standalone' : undefined,
  // PGlite ships WASM and data files that must be loaded from node_modules at run time,
  // not bundled: without this the build passes and every request fails.
  // rate-limiter-flexible loads drizzle-orm by a computed import() at run time, which a bundle
  // cannot follow: it is required from node_modules instead.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'rate-limiter-flexible', 'proper-lockfile'],
  poweredByHeader: false,
  // The API docs page serves Swagger UI's files from node_modules (read at run time).
  outputFileTracingIncludes: {
    '/api/docs/[asset]': [
      './node_modules/swagger-ui-dist/swagger-ui.css',
      './node_modules/swagger-ui-dist/swagger-ui-bundle.js',
    ],
  },
  experimental: {
    serverActions: {
      // Operators send files of up to 50 MB (Telegram's upload limit) through a server action;
      // the default is 1 MB. 1 MB on top covers the caption and the multipart framing.
      bodySizeLimit: '51mb',
    },
    // Same headroom if a proxy.ts is ever added: it buffers bodies and cuts them at 10 MB.
    proxyClientMaxBodySize: '51mb',
  },
  // Separate build directories let a benchmark build run beside the e2e build.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

export default withNextIntl(nextConfig);
