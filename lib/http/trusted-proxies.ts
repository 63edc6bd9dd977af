import proxyAddr from 'proxy-addr';

const PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses `TRUSTED_PROXIES`: a comma-separated list of IP addresses, CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`) and proxy-addr's presets `loopback`, `linklocal`, `uniquelocal`.
 * Empty or unset = no proxy is trusted. Throws an Error naming the first entry that is none of
 * these.
 */
export function parseTrustedProxies(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const entry of entries) {
    if (PRESETS.has(entry)) continue;
    try {
      proxyAddr.compile(entry);
    } catch {
      throw new Error(`"${entry}" is not an IP address, a CIDR range or one of ${[...PRESETS].join(', ')}`);
    }
  }
  return entries;
}
