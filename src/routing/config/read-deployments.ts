import { ConfigReader, quoted } from './config-reader';
import { DeploymentConfig } from './routing-config';

export const DEPLOYMENT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const DEPLOYMENT_KEYS = [
  'id',
  'provider',
  'model',
  'base_url',
  'api_key_env',
  'weight',
  'relative_cost',
  'priority',
  'timeout_ms',
] as const;

/** What the loader knows about the adapters this build registers. */
export interface AdapterCatalog {
  /** Adapter kinds a deployment may name (`openai`, `anthropic`, `echo`...). */
  adapters: readonly string[];
  /** Whether a deployment of this kind needs `api_key_env`. */
  requiresKey: (kind: string) => boolean;
}

/**
 * Reads `deployments`. The environment is consulted only to check that `api_key_env` names a
 * set, non-empty variable: its value is never read into the result nor into any message.
 */
export function readDeployments(
  reader: ConfigReader,
  value: unknown,
  env: Record<string, string | undefined>,
  catalog: AdapterCatalog,
): DeploymentConfig[] {
  const list = reader.list(value, 'deployments', { nonEmpty: true });
  if (list === undefined) return [];
  const seen = new Set<string>();
  const deployments: DeploymentConfig[] = [];
  list.forEach((item, index) => {
    const at = `deployments[${index}]`;
    const doc = reader.mapping(item, at, DEPLOYMENT_KEYS);
    if (doc === undefined) return;
    const id = reader.string(
      doc.id,
      `${at}.id`,
      DEPLOYMENT_ID,
      'a slug: lowercase letters, digits, ".", "_", "-", at most 64, starting with a letter or digit',
    );
    if (id !== undefined && seen.has(id)) reader.add(`${at}.id`, `duplicate id${quoted(id)}`);
    if (id !== undefined) seen.add(id);
    const provider = readProvider(reader, doc.provider, `${at}.provider`, catalog);
    const model = reader.string(doc.model, `${at}.model`);
    const baseUrl = doc.base_url === undefined ? undefined : readUrl(reader, doc.base_url, at);
    const apiKeyEnv = readKeyEnv(reader, doc.api_key_env, at, env, provider, catalog);
    const weight = optional(doc.weight, (v) =>
      reader.number(v, `${at}.weight`, { min: 0 }, 'a number ≥ 0'),
    );
    const relativeCost = optional(doc.relative_cost, (v) =>
      reader.number(v, `${at}.relative_cost`, { minExclusive: 0 }, 'a number > 0'),
    );
    const priority = optional(doc.priority, (v) =>
      reader.number(v, `${at}.priority`, { integer: true, min: 0 }, 'an integer ≥ 0'),
    );
    const timeoutMs = optional(doc.timeout_ms, (v) =>
      reader.number(
        v,
        `${at}.timeout_ms`,
        { integer: true, min: 100, max: 3_600_000 },
        'an integer 100..3600000',
      ),
    );
    if (id === undefined || provider === undefined || model === undefined) return;
    deployments.push({
      id,
      provider,
      model,
      ...(baseUrl !== undefined && { baseUrl }),
      ...(apiKeyEnv !== undefined && { apiKeyEnv }),
      weight: weight ?? (relativeCost !== undefined ? 1 / relativeCost : 1),
      priority: priority ?? 0,
      ...(relativeCost !== undefined && { relativeCost }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
  });
  return deployments;
}

function optional<T>(value: unknown, read: (value: unknown) => T | undefined): T | undefined {
  return value === undefined ? undefined : read(value);
}

function readProvider(
  reader: ConfigReader,
  value: unknown,
  at: string,
  catalog: AdapterCatalog,
): string | undefined {
  if (typeof value === 'string' && catalog.adapters.includes(value)) return value;
  const known = catalog.adapters.length > 0 ? catalog.adapters.join(', ') : 'none';
  reader.add(at, `unknown adapter${quoted(value)} (known: ${known})`);
  return undefined;
}

/** The URL itself is never quoted: it may carry credentials (`https://user:pw@host`). */
function readUrl(reader: ConfigReader, value: unknown, at: string): string | undefined {
  let ok = false;
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      ok = false;
    }
  }
  if (!ok) reader.add(`${at}.base_url`, 'must be an http:// or https:// URL');
  return ok ? (value as string) : undefined;
}

function readKeyEnv(
  reader: ConfigReader,
  value: unknown,
  at: string,
  env: Record<string, string | undefined>,
  provider: string | undefined,
  catalog: AdapterCatalog,
): string | undefined {
  if (value === undefined) {
    if (provider !== undefined && catalog.requiresKey(provider)) {
      reader.add(`${at}.api_key_env`, `required for provider "${provider}"`);
    }
    return undefined;
  }
  // Not quoted: the commonest mistake here is pasting the key itself instead of its name.
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    reader.add(
      `${at}.api_key_env`,
      'must be the NAME of an environment variable (A-Z, 0-9, _), never the key itself',
    );
    return undefined;
  }
  const set = env[value];
  if (set === undefined || set.trim() === '') {
    reader.add(`${at}.api_key_env`, `environment variable ${value} is not set or empty`);
    return undefined;
  }
  return value;
}
