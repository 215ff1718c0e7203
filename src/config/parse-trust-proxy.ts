import { isIP } from 'node:net';

/** What Express's `trust proxy` setting takes: on/off, a hop count, or trusted addresses. */
export type TrustProxy = boolean | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses TRUST_PROXY: unset/`false` (X-Forwarded-For ignored: the client address is the
 * socket's), `true` (trust every hop: only behind a proxy that overwrites the header), a hop
 * count (`1`: the nearest proxy), or comma-separated addresses/CIDR subnets and Express's
 * names `loopback`, `linklocal`, `uniquelocal`. Throws on anything else.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim().toLowerCase() ?? 'false';
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (NAMED.has(entry)) continue;
    if (family === 0 || !bitsOk || extra !== undefined)
      throw new Error('false, true, a hop count, or comma-separated addresses/subnets');
  }
  return entries;
}
