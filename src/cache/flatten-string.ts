/**
 * Returns `text` stored contiguously. Strings built by concatenation are trees in V8 (a key
 * made of a prefix and a crypto.randomUUID() held ~500 bytes); reading a character flattens
 * one in place, so a long-lived cache entry keeps ~80 bytes instead.
 */
export function flattenString(text: string): string {
  text.charCodeAt(0);
  return text;
}
