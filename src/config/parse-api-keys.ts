const EXTERNAL_ID = /^[A-Za-z0-9._@-]{1,128}$/;
const KEY = /^[\x21-\x7e]{8,512}$/;

/**
 * Parses `API_KEYS` (`external_id:key` pairs, comma-separated) into key → external_id.
 * Errors name the entry by position, never by its key.
 */
export function parseApiKeys(raw: string): Map<string, string> {
  const keys = new Map<string, string>();
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const key = colon > 0 ? entry.slice(colon + 1) : '';
    if (!EXTERNAL_ID.test(id)) {
      throw new Error(
        `entry ${index + 1} needs an external_id of letters, digits, . _ @ - before ':'`,
      );
    }
    if (!KEY.test(key)) {
      throw new Error(`entry ${index + 1} (${id}) needs a key of 8..512 printable characters`);
    }
    if (keys.has(key)) throw new Error(`entry ${index + 1} (${id}) repeats another entry's key`);
    keys.set(key, id);
  });
  return keys;
}
