// First-load JS of a page, measured from what the page's HTML makes a browser load. Next 16's
// `next build` no longer prints per-route sizes, so the bench reads the document itself.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

// A chunk's path as it appears in the HTML: in <script src>, <link rel=preload href>, and in the
// RSC payload's client-reference entries ("static/chunks/…js", escaped or not).
// Webpack names route chunks after the route (`app/(dashboard)/clients/%5Bid%5D/page-….js`).
const CHUNK = /(?:\/_next\/)?(static\/chunks\/[A-Za-z0-9_\-.~/()%[\]@]+?\.js)(?![A-Za-z0-9_\-.~/()%[\]@])/g;

// Next's polyfills for browsers without ES modules: a browser that runs modules skips them.
const NO_MODULE_SCRIPT = /<script\b[^>]*\bnomodule\b[^>]*>\s*<\/script>/gi;

/**
 * The build's JS chunks a page's HTML makes a current browser load, each once, as paths relative
 * to the dist dir (e.g. `static/chunks/0a1b2c.js`), in order of first appearance. Left out:
 * inline scripts (the RSC payload, part of the HTML) and `<script nomodule>` chunks (Next's
 * polyfills, which browsers that support ES modules — every browser Next 16 supports — skip).
 */
export function scriptChunksOf(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.replace(NO_MODULE_SCRIPT, '').matchAll(CHUNK))
    if (match[1]) found.add(decodeURIComponent(match[1]));
  return [...found];
}

export type FirstLoadJs = {
  chunks: number;
  /** Bytes as built (minified) and gzipped at level 9 (what gzip-size and Next's old report used). */
  rawBytes: number;
  gzipBytes: number;
};

/**
 * Sums the sizes of the chunks `html` references, read from the build in `distDir`. Throws when a
 * referenced chunk is not in the build (the page and the build on disk differ).
 */
export function firstLoadJs(
  html: string,
  distDir: string,
  gzipCache = new Map<string, number>(),
): FirstLoadJs {
  let rawBytes = 0;
  let gzipBytes = 0;
  const chunks = scriptChunksOf(html);
  for (const chunk of chunks) {
    const file = path.join(distDir, chunk);
    if (!fs.existsSync(file)) throw new Error(`the page references ${chunk}, which is not in ${distDir}`);
    const bytes = fs.readFileSync(file);
    rawBytes += bytes.length;
    let gzipped = gzipCache.get(file);
    if (gzipped === undefined) {
      gzipped = gzipSync(bytes, { level: 9 }).length;
      gzipCache.set(file, gzipped);
    }
    gzipBytes += gzipped;
  }
  return { chunks: chunks.length, rawBytes, gzipBytes };
}
