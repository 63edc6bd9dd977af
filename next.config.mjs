/** @type {import('next').NextConfig} */
const nextConfig = {
  // The Dockerfile builds the self-contained server (BUILD_STANDALONE=1); `next start` runs the
  // regular build locally and in tests.
  output: process.env.BUILD_STANDALONE === '1' ? 'standalone' : undefined,
  // PGlite ships WASM and data files that must be loaded from node_modules at run time,
  // not bundled: without this the build passes and every request fails.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
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

export default nextConfig;
