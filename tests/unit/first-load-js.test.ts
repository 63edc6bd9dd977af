import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLoadJs, scriptChunksOf } from '@/bench/lib-first-load-js';

// The shapes of chunk references in a Next 16 page: script tags, a preload link, and the RSC
// payload's client references (inside a JS string), one of them a route chunk with an encoded name.
const HTML = `<!DOCTYPE html><html><head>
<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/webpack-1a2b.js"/>
<script src="/_next/static/chunks/webpack-1a2b.js" async=""></script>
<script src="/_next/static/chunks/main-app-3c4d.js" async=""></script>
<link rel="stylesheet" href="/_next/static/css/app-5e6f.css"/>
<script src="/_next/static/chunks/polyfills-9d0c.js" noModule="" nonce="abc"></script>
</head><body><main id="main"></main>
<script>self.__next_f.push([1,"5:I[\\"123\\",[\\"static/chunks/0f9e.js\\",\\"static/chunks/app/(dashboard)/clients/%5Bid%5D/page-7a8b.js\\",\\"static/chunks/main-app-3c4d.js\\"],\\"ChatScreen\\"]"])</script>
</body></html>`;

const FILES: Record<string, string> = {
  'static/chunks/webpack-1a2b.js': 'console.log("runtime");'.repeat(50),
  'static/chunks/main-app-3c4d.js': 'export const app = 1;'.repeat(200),
  'static/chunks/0f9e.js': 'function f(){return 42}'.repeat(10),
  'static/chunks/app/(dashboard)/clients/[id]/page-7a8b.js': 'let page = "chat";',
};

let dist: string;

beforeAll(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'first-load-js-'));
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    fs.writeFileSync(path.join(dist, file), text);
  }
});

afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

describe('first-load JS of a page', () => {
  it('finds every chunk the HTML references once, decoding route chunk names; no CSS, no nomodule polyfills', () => {
    expect(scriptChunksOf(HTML)).toEqual([
      'static/chunks/webpack-1a2b.js',
      'static/chunks/main-app-3c4d.js',
      'static/chunks/0f9e.js',
      'static/chunks/app/(dashboard)/clients/[id]/page-7a8b.js',
    ]);
  });

  it('sums the built files, raw and gzipped', () => {
    const texts = Object.values(FILES);
    expect(firstLoadJs(HTML, dist)).toEqual({
      chunks: 4,
      rawBytes: texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0),
      gzipBytes: texts.reduce((sum, t) => sum + gzipSync(t, { level: 9 }).length, 0),
    });
  });

  it('refuses a page that references a chunk the build does not have', () => {
    expect(() => firstLoadJs('<script src="/_next/static/chunks/gone-0000.js"></script>', dist)).toThrow(
      /gone-0000\.js/,
    );
  });
});
