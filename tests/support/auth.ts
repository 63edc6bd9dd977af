// next-auth as the app runs it, over real HTTP: a Node server hosting next-auth's own handler
// (its pages-API entry; the app router entry differs only in reading next/headers) with the
// app's options, behind the app's client-address hook. Tests talk to it with fetch and a
// cookie jar, as a browser would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import NextAuth from 'next-auth';
import type { NextApiRequest, NextApiResponse } from 'next';
import { z } from 'zod';
import { getAuthOptions } from '@/lib/auth/auth-options';
import { installClientIpHook, requestContextFromHeaders } from '@/lib/http/client-ip';

export type AuthServer = { url: string; close: () => Promise<void> };

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const value = part.slice(eq + 1).trim();
    try {
      out[part.slice(0, eq).trim()] = decodeURIComponent(value);
    } catch {
      out[part.slice(0, eq).trim()] = value;
    }
  }
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** Starts the server on 127.0.0.1 with the hook for `trustedProxies`; `close` removes both. */
export async function startAuthServer(trustedProxies: string[] = []): Promise<AuthServer> {
  const uninstall = installClientIpHook(trustedProxies);
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname
        .replace(/^\/api\/auth\/?/, '')
        .split('/')
        .filter(Boolean);
      // The few fields of Next's API request and response that next-auth uses.
      const apiReq = Object.assign(req, {
        query: { ...Object.fromEntries(url.searchParams), nextauth: path },
        cookies: parseCookies(req.headers.cookie),
        body: req.method === 'POST' ? await readBody(req) : {},
      });
      const apiRes = Object.assign(res, {
        status: (code: number) => {
          res.statusCode = code;
          return apiRes;
        },
        send: (body: unknown) => res.end(typeof body === 'string' ? body : JSON.stringify(body)),
        json: (body: unknown) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(body));
        },
      });
      const options = getAuthOptions({ context: requestContextFromHeaders(req.headers) });
      await NextAuth(apiReq as unknown as NextApiRequest, apiRes as unknown as NextApiResponse, options);
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: async () => {
      uninstall();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A browser's cookies for one server, and requests that carry them. */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async fetch(
    path: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...this.extraHeaders, ...init.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.base}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  private async csrf(): Promise<string> {
    const body = z.object({ csrfToken: z.string() }).parse(await (await this.fetch('/api/auth/csrf')).json());
    return body.csrfToken;
  }

  /** POSTs a sign-in like next-auth's signIn(provider, { redirect: false }); returns its `error`. */
  async signIn(provider: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const csrfToken = await this.csrf();
    const response = await this.fetch(`/api/auth/callback/${provider}`, {
      form: { ...fields, csrfToken, json: 'true' },
      headers,
    });
    const { url } = z.object({ url: z.string() }).parse(await response.json());
    return { ok: !new URL(url).searchParams.has('error'), error: new URL(url).searchParams.get('error') };
  }

  async signOut() {
    const csrfToken = await this.csrf();
    await this.fetch('/api/auth/signout', { form: { csrfToken, json: 'true' } });
  }

  /** GET /api/auth/session: `{}` or `{ user, expires }`. */
  async session(): Promise<Record<string, unknown>> {
    return z.record(z.string(), z.unknown()).parse(await (await this.fetch('/api/auth/session')).json());
  }

  sessionCookie(): string | undefined {
    return this.cookies.get('next-auth.session-token');
  }
}
