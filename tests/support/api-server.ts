// The REST API's real route handlers (app/api/v1/**/route.ts) on a real HTTP server, routed by
// their folder names as Next routes them, for tests that talk HTTP to the API.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { installClientIpHook } from '@/lib/http/client-ip';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteFile = {
  file: string;
  pattern: RegExp;
  params: string[];
  openApiPath: string;
  methods: string[];
};

const root = path.resolve(import.meta.dirname, '../../app/api/v1');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every route file under app/api/v1: its URL pattern, OpenAPI path and exported methods. */
export async function apiRouteFiles(): Promise<(RouteFile & { module: Record<string, unknown> })[]> {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') found.push(full);
    }
  };
  walk(root);
  const routes = await Promise.all(
    found.map(async (file) => {
      const segments = path.relative(root, path.dirname(file)).split(path.sep).filter(Boolean);
      const params = segments.flatMap((s) => (/^\[(\w+)\]$/.exec(s)?.[1] ? [s.slice(1, -1)] : []));
      const pattern = new RegExp(
        `^/api/v1${segments.map((s) => (/^\[\w+\]$/.test(s) ? '/([^/]+)' : `/${s.replace(/\./g, '\\.')}`)).join('')}/?$`,
      );
      const openApiPath = `/${segments.map((s) => (/^\[(\w+)\]$/.test(s) ? `{${s.slice(1, -1)}}` : s)).join('/')}`;
      const module = (await import(file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => typeof module[m] === 'function');
      return { file, pattern, params, openApiPath, methods, module };
    }),
  );
  // A static segment wins over a dynamic one, as in Next (`operator-logs/export.csv` before
  // `operator-logs/[id]`): routes with fewer parameters are tried first.
  return routes.sort((a, b) => a.params.length - b.params.length);
}

let started: Promise<string> | undefined;

/**
 * The API on 127.0.0.1 (one server per test process); returns its base URL (…/api/v1). The
 * app's client-address hook is (re)installed with no trusted proxy, as the app starts with it
 * (other test files install it with their own settings in the same process).
 */
export function apiBaseUrl(): Promise<string> {
  installClientIpHook([]);
  started ??= (async () => {
    const routes = await apiRouteFiles();
    const server = http.createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
        const route = routes.find((r) => r.pattern.test(url.pathname));
        const handler = route?.module[req.method ?? 'GET'] as Handler | undefined;
        if (!route || !handler) {
          res.writeHead(route ? 405 : 404, { 'content-type': 'application/problem+json' });
          return res.end(JSON.stringify({ status: route ? 405 : 404, title: 'not routed' }));
        }
        const match = route.pattern.exec(url.pathname) ?? [];
        const params = Object.fromEntries(
          route.params.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
        );
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(Buffer.from(chunk));
        const headers = new Headers();
        for (const [key, value] of Object.entries(req.headers)) {
          if (typeof value === 'string') headers.set(key, value);
          else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
        }
        const body = chunks.length > 0 && req.method !== 'GET' ? Buffer.concat(chunks) : undefined;
        const request = new Request(url, { method: req.method, headers, body });
        const response = await handler(request, { params: Promise.resolve(params) });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })().catch((error: unknown) => {
        console.error('api test server:', error);
        res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  })();
  return started;
}

/** A dashboard session cookie for an operator, as next-auth would set it after sign-in. */
export async function sessionCookie(operator: { id: string; sessionVersion: number }): Promise<string> {
  const token = await encode({
    token: { sub: operator.id, sv: operator.sessionVersion },
    secret: getAuthSecret(),
  });
  return `next-auth.session-token=${token}`;
}
