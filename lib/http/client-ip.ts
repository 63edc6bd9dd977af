import { randomBytes, timingSafeEqual } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';
import type { RequestContext } from '@/lib/auth/actor';

/**
 * Where the server-side hook leaves the resolved client address for the app: `<proof> <ip>`.
 * Route handlers, server components and next-auth only see headers, never the socket, so the
 * address travels in a header; the per-process proof makes a client-sent copy worthless.
 */
export const CLIENT_IP_HEADER = 'x-desk-client-ip';

const USER_AGENT_MAX = 512;

/** `::ffff:203.0.113.5` (an IPv4 peer on a dual-stack socket) → `203.0.113.5`; null unless an IP. */
function normaliseIp(value: string | undefined): string | null {
  if (!value) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  const ip = mapped?.[1] ?? value;
  return isIP(ip) ? ip : null;
}

/**
 * The client's address: the socket peer, or — only while that peer and each later hop is a
 * trusted proxy — the next address of `X-Forwarded-For` read from the right (proxy-addr's
 * algorithm, as Express's `trust proxy`). With no trusted proxies the header is ignored, so a
 * forged one changes nothing. Null when the address is not a valid IP.
 */
export function resolveClientIp({
  remoteAddress,
  forwardedFor,
  trustedProxies,
}: {
  remoteAddress: string | undefined;
  forwardedFor: string | undefined;
  trustedProxies: readonly string[];
}): string | null {
  if (!remoteAddress) return null;
  if (trustedProxies.length === 0) return normaliseIp(remoteAddress);
  // proxy-addr reads only these two fields of the request.
  const requestLike = { headers: { 'x-forwarded-for': forwardedFor ?? '' }, socket: { remoteAddress } };
  return normaliseIp(
    proxyAddr(requestLike as unknown as IncomingMessage, proxyAddr.compile([...trustedProxies])),
  );
}

type HookState = { proof: string; unsubscribe: () => void };
const HOOK = Symbol.for('tg-support-desk.client-ip-hook');
type GlobalWithHook = typeof globalThis & { [HOOK]?: HookState };
const g = globalThis as GlobalWithHook;

/**
 * Installs, once per process, a subscriber to Node's `http.server.request.start` diagnostics
 * channel, which runs for every request of every HTTP server in the process before its
 * handler (Next's included) sees it. It resolves the client address from the socket
 * (`resolveClientIp`), writes it to `CLIENT_IP_HEADER` with this process's proof, sets
 * `X-Forwarded-For` to that one address and drops `X-Real-IP` and `Forwarded`, so nothing
 * downstream can read a client-supplied value. Returns a function that removes the hook.
 */
export function installClientIpHook(trustedProxies: readonly string[]): () => void {
  g[HOOK]?.unsubscribe();
  const proof = randomBytes(18).toString('base64url');
  const listener = (message: unknown) => {
    if (!message || typeof message !== 'object' || !('request' in message)) return;
    const request = message.request;
    if (!(request instanceof IncomingMessage)) return;
    const forwarded = request.headers['x-forwarded-for'];
    const ip = resolveClientIp({
      remoteAddress: request.socket.remoteAddress,
      forwardedFor: Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      trustedProxies,
    });
    delete request.headers['x-real-ip'];
    delete request.headers['forwarded'];
    if (ip) request.headers['x-forwarded-for'] = ip;
    else delete request.headers['x-forwarded-for'];
    request.headers[CLIENT_IP_HEADER] = `${proof} ${ip ?? '-'}`;
  };
  diagnosticsChannel.subscribe('http.server.request.start', listener);
  const state: HookState = {
    proof,
    unsubscribe: () => {
      diagnosticsChannel.unsubscribe('http.server.request.start', listener);
      if (g[HOOK] === state) delete g[HOOK];
    },
  };
  g[HOOK] = state;
  return state.unsubscribe;
}

type HeadersLike = Headers | Record<string, unknown> | undefined | null;

function readHeader(headers: HeadersLike, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return typeof value === 'string' ? value : null;
}

/**
 * The client address the hook resolved for this request, or null: when the hook is not
 * installed in this process, when the request reached the server before it was (the first
 * requests during start-up), or when the header is not the hook's (a client cannot know the
 * proof). Never falls back to `X-Forwarded-For` or `X-Real-IP`.
 */
export function clientIpFromHeaders(headers: HeadersLike): string | null {
  const state = g[HOOK];
  const value = readHeader(headers, CLIENT_IP_HEADER);
  if (!state || !value) return null;
  const space = value.indexOf(' ');
  if (space < 0) return null;
  const given = Buffer.from(value.slice(0, space));
  const expected = Buffer.from(state.proof);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return normaliseIp(value.slice(space + 1));
}

/** Address and user agent of a request, for audit rows and throttling. */
export function requestContextFromHeaders(headers: HeadersLike): RequestContext {
  return {
    ip: clientIpFromHeaders(headers),
    userAgent: readHeader(headers, 'user-agent')?.slice(0, USER_AGENT_MAX) ?? null,
  };
}
