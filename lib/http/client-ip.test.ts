import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER, clientIpFromHeaders, installClientIpHook, resolveClientIp } from './client-ip';
import { parseTrustedProxies } from './trusted-proxies';

describe('resolveClientIp', () => {
  const resolve = (forwardedFor: string | undefined, trustedProxies: string[], remoteAddress = '10.0.0.2') =>
    resolveClientIp({ remoteAddress, forwardedFor, trustedProxies });

  it('is the socket peer when no proxy is trusted, whatever the header says', () => {
    expect(resolve('198.51.100.1', [])).toBe('10.0.0.2');
    expect(resolve('198.51.100.1, 10.0.0.1', [])).toBe('10.0.0.2');
    expect(resolve(undefined, [], '::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(resolve(undefined, [], '2001:db8::1')).toBe('2001:db8::1');
    expect(
      resolveClientIp({ remoteAddress: undefined, forwardedFor: '198.51.100.1', trustedProxies: [] }),
    ).toBeNull();
  });

  it('walks X-Forwarded-For from the right only while each hop is trusted', () => {
    expect(resolve('198.51.100.1', ['10.0.0.0/8'])).toBe('198.51.100.1');
    expect(resolve('198.51.100.1, 203.0.113.9', ['10.0.0.0/8'])).toBe('203.0.113.9');
    expect(resolve('198.51.100.1, 203.0.113.9', ['10.0.0.0/8', '203.0.113.9'])).toBe('198.51.100.1');
    // The peer is not a trusted proxy: its header means nothing.
    expect(resolve('198.51.100.1', ['192.168.0.0/16'])).toBe('10.0.0.2');
    // A trusted proxy passing on garbage gives no address rather than the garbage.
    expect(resolve('not-an-ip', ['10.0.0.0/8'])).toBeNull();
  });
});

describe('parseTrustedProxies', () => {
  it('takes IPs, CIDRs and presets, comma-separated; empty is none', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies(' ')).toEqual([]);
    expect(parseTrustedProxies('10.0.0.0/8, loopback ,fd00::/8,192.0.2.1')).toEqual([
      '10.0.0.0/8',
      'loopback',
      'fd00::/8',
      '192.0.2.1',
    ]);
  });

  it('names the entry it cannot read', () => {
    expect(() => parseTrustedProxies('10.0.0.1, proxy.example.com')).toThrow('"proxy.example.com"');
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow('"10.0.0.0/33"');
  });
});

describe('clientIpFromHeaders', () => {
  let uninstall: (() => void) | undefined;
  afterEach(() => uninstall?.());

  it('never reads an address the hook did not write', () => {
    const forged = {
      [CLIENT_IP_HEADER]: 'guess 198.51.100.1',
      'x-forwarded-for': '198.51.100.2',
      'x-real-ip': '198.51.100.3',
    };
    expect(clientIpFromHeaders(forged)).toBeNull();
    uninstall = installClientIpHook([]);
    expect(clientIpFromHeaders(forged)).toBeNull();
    expect(clientIpFromHeaders(new Headers(forged))).toBeNull();
    expect(clientIpFromHeaders(undefined)).toBeNull();
  });
});
