/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  // PGlite ships WASM and data files that must be loaded from node_modules at run time,
  // not bundled: without this the build passes and every request fails.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
};

export default nextConfig;
