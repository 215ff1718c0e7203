/** One `host:port` of a Redis Cluster seed list or a sentinel list. */
export interface HostPort {
  host: string;
  port: number;
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3})$/;

/**
 * Parses `host:port,host:port` (IPv6 as `[addr]:port`). Throws an Error whose message names
 * the position of the first bad entry (never its text) when an entry is malformed.
 */
export function parseHostPorts(list: string): HostPort[] {
  const entries = list.split(',').map((entry) => entry.trim());
  return entries.map((entry, i) => {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(entry);
    const host = match?.[1] ?? match?.[2];
    const port = Number(match?.[3]);
    if (
      match === null ||
      host === undefined ||
      (match[2] !== undefined && !HOST.test(host)) ||
      !Number.isInteger(port) ||
      port < 1 ||
      port > 65535
    ) {
      throw new Error(`entry ${i + 1} is not host:port`);
    }
    return { host, port };
  });
}
