import { TIERS, type Tier } from '../chat/chat-command';

/** One move of a conversation to another deployment. */
export interface Migration {
  /** Unix seconds. */
  at: number;
  from: string;
  to: string;
  /** `cooldown`, `deployment_removed`, `tier_upgrade`, `failed:<class>`. */
  reason: string;
}

/** How many past migrations a record keeps. */
export const MAX_MIGRATIONS = 5;

/** The stored binding of a conversation (README "Session record"). */
export interface SessionRecord {
  id: string;
  provider: string;
  model: string;
  external_id: string;
  /** Unix seconds. */
  created_at: number;
  /** The deployment that serves it; absent on records written before routing. */
  deployment?: string;
  /** The group the conversation was started in (or migrated to by a tier upgrade). */
  group?: string;
  tier?: Tier;
  /** The deployment that served its first turn, kept through migrations. */
  home_deployment?: string;
  migration_count?: number;
  /** The last MAX_MIGRATIONS migrations, oldest first. */
  migrations?: Migration[];
  /** Unix seconds of the last change of binding. */
  updated_at?: number;
}

const FIELDS = [
  'id',
  'provider',
  'model',
  'external_id',
  'created_at',
  'deployment',
  'group',
  'tier',
  'home_deployment',
  'migration_count',
  'migrations',
  'updated_at',
] as const satisfies readonly (keyof SessionRecord)[];

/** The record as stored: the known fields only, in a fixed order, absent ones left out. */
export function encodeSession(record: SessionRecord): string {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) if (record[field] !== undefined) out[field] = record[field];
  return JSON.stringify(out);
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function readMigrations(value: unknown): Migration[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const migrations = value.filter(
    (m): m is Migration =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as Migration).at === 'number' &&
      isText((m as Migration).from) &&
      isText((m as Migration).to) &&
      isText((m as Migration).reason),
  );
  return migrations.map(({ at, from, to, reason }) => ({ at, from, to, reason }));
}

/**
 * Reads a stored record written by this or another version of Sentinel: extra fields are
 * ignored, optional ones defaulted or left out when unreadable. Returns null when the record
 * cannot be trusted (not JSON, or without provider, model and owner).
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
  const record: SessionRecord = {
    id: typeof r.id === 'string' ? r.id : conversationId,
    provider: r.provider,
    model: r.model,
    external_id: r.external_id,
    created_at:
      typeof r.created_at === 'number' && Number.isFinite(r.created_at) ? r.created_at : 0,
  };
  if (isText(r.deployment)) record.deployment = r.deployment;
  if (isText(r.group)) record.group = r.group;
  if ((TIERS as readonly unknown[]).includes(r.tier)) record.tier = r.tier as Tier;
  if (isText(r.home_deployment)) record.home_deployment = r.home_deployment;
  if (isCount(r.migration_count)) record.migration_count = r.migration_count;
  const migrations = readMigrations(r.migrations);
  if (migrations !== undefined) record.migrations = migrations;
  if (typeof r.updated_at === 'number' && Number.isFinite(r.updated_at)) {
    record.updated_at = r.updated_at;
  }
  return record;
}
