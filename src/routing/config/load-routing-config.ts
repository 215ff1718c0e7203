import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigReader } from './config-reader';
import { AdapterCatalog, readDeployments } from './read-deployments';
import { readGroups, readTiers } from './read-groups';
import { readPolicies } from './read-policies';
import { GroupConfig, ROUTING_DEFAULTS, RoutingConfig } from './routing-config';
import { RoutingConfigError } from './routing-config.error';

export type { AdapterCatalog } from './read-deployments';

const TOP_KEYS = ['version', 'defaults', 'deployments', 'groups', 'tiers'];
const DEFAULTS_KEYS = ['strategy', 'attempts', 'health', 'stickiness'];

/**
 * Reads and validates the routing file (YAML; JSON is valid YAML) at boot. Throws one
 * RoutingConfigError listing every problem; the result is fully resolved and deeply frozen.
 * `env` is only checked for the variables `api_key_env` names; `adapters` are the kinds this
 * build registers and `requiresKey` says which of them need a key.
 */
export function loadRoutingConfig(
  path: string,
  env: Record<string, string | undefined>,
  adapters: readonly string[],
  requiresKey: (kind: string) => boolean,
): RoutingConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new RoutingConfigError(path, [`file cannot be read (${code})`]);
  }
  return parseRoutingConfig(text, path, env, { adapters, requiresKey });
}

/** loadRoutingConfig over text already read; `source` names it in the error. */
export function parseRoutingConfig(
  text: string,
  source: string,
  env: Record<string, string | undefined>,
  catalog: AdapterCatalog,
): RoutingConfig {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    // Only the first line of the parser's message: the rest quotes the file.
    const problems = doc.errors.map((error) => {
      const line = error.linePos?.[0];
      const where = line === undefined ? 'syntax' : `line ${line.line}, column ${line.col}`;
      const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return `${where}: ${reason}`;
    });
    throw new RoutingConfigError(source, problems);
  }
  const reader = new ConfigReader();
  const config = readRoutingDocument(reader, doc.toJS({ maxAliasCount: 100 }), env, catalog);
  if (reader.problems.length > 0 || config === undefined) {
    throw new RoutingConfigError(source, redact(reader.problems, env, config));
  }
  return config;
}

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i;
const SHORTEST_SECRET = 8;

/**
 * Belt and braces over the quoting rule: a value of a key-like or referenced environment
 * variable that somehow reached a message (pasted into the file) is blanked out.
 */
function redact(
  problems: string[],
  env: Record<string, string | undefined>,
  config: RoutingConfig | undefined,
): string[] {
  const referenced = new Set(config?.deployments.map((d) => d.apiKeyEnv) ?? []);
  const secrets = Object.entries(env)
    .filter(([name, value]) => (referenced.has(name) || SECRET_NAME.test(name)) && value)
    .map(([, value]) => (value ?? '').trim())
    .filter((value) => value.length >= SHORTEST_SECRET);
  return problems.map((problem) =>
    secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), problem),
  );
}

function readRoutingDocument(
  reader: ConfigReader,
  raw: unknown,
  env: Record<string, string | undefined>,
  catalog: AdapterCatalog,
): RoutingConfig | undefined {
  const top = reader.mapping(raw ?? undefined, '(file)', TOP_KEYS);
  if (top === undefined) return undefined;
  if (top.version !== 1) reader.add('version', 'must be 1');
  const defaultsDoc =
    top.defaults === undefined ? {} : reader.mapping(top.defaults, 'defaults', DEFAULTS_KEYS);
  const defaults = readPolicies(reader, defaultsDoc ?? {}, 'defaults', ROUTING_DEFAULTS);
  const deployments = readDeployments(reader, top.deployments, env, catalog);
  const groups = readGroups(reader, top.groups, new Set(deployments.map((d) => d.id)), defaults);
  const tiers = readTiers(reader, top.tiers, groups);
  return deepFreeze({ defaults, deployments, groups: freezeGroups(groups), tiers });
}

function freezeGroups(groups: Map<string, GroupConfig>): ReadonlyMap<string, GroupConfig> {
  for (const group of groups.values()) deepFreeze(group);
  return groups;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof Map)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
