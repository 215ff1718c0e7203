import { Pool } from 'undici';
import type { DeploymentSpec } from '../deployment-spec';

/**
 * The keep-alive pool of one deployment. undici's Pool follows no redirects (a provider key
 * must never be re-sent to another host) and never retries: routing owns the attempt budget.
 * Creating it opens nothing; connections are made on first use.
 */
export function createPool(origin: string, spec: DeploymentSpec): Pool {
  return new Pool(origin, {
    connections: spec.maxConnections,
    connect: { timeout: spec.timeouts.connectMs },
    headersTimeout: spec.timeouts.headersMs,
    bodyTimeout: spec.timeouts.idleMs,
  });
}

/** Splits a base URL such as `http://host:8000/v1/` into the pool origin and a path under it. */
export function endpoint(baseUrl: string, suffix: string): { origin: string; path: string } {
  const url = new URL(baseUrl);
  return {
    origin: url.origin,
    path: `${url.pathname.replace(/\/+$/, '')}${suffix}${url.search}`,
  };
}
