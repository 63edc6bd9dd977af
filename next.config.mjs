/** @type {import('next').NextConfig} */
const nextConfig = {
  // The Dockerfile builds the self-contained server (BUILD_STANDALONE=1); `next start` runs the
  // regular build locally and in tests.
  output: process.env.BUILD_STANDALONE === '1' ? 'standalone' : undefined,
  // PGlite ships WASM and data files that must be loaded from node_modules at run time,
  // not bundled: without this the build passes and every request fails.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  // Separate build directories let a benchmark build run beside the e2e build.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

export default nextConfig;
