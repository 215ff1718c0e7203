/** The stored binding of a conversation (SPEC §4 "Session record"). */
export interface SessionRecord {
  id: string;
  provider: string;
  model: string;
  external_id: string;
  /** Unix seconds. */
  created_at: number;
}

export function encodeSession(record: SessionRecord): string {
  const { id, provider, model, external_id, created_at } = record;
  return JSON.stringify({ id, provider, model, external_id, created_at });
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Reads a stored record written by this or another version of Sentinel: extra fields are
 * ignored, optional ones (`id`, `created_at`) defaulted. Returns null when the record cannot
 * be trusted (not JSON, or without provider, model and owner).
 */
export function decodeSession(raw: string, conversationId: string): SessionRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const r = parsed as Record<string, unknown>;
  if (!isText(r.provider) || !isText(r.model) || !isText(r.external_id)) return null;
  return {
    id: typeof r.id === 'string' ? r.id : conversationId,
    provider: r.provider,
    model: r.model,
    external_id: r.external_id,
    created_at:
      typeof r.created_at === 'number' && Number.isFinite(r.created_at) ? r.created_at : 0,
  };
}
