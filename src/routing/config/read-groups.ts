import { child, ConfigReader, isMapping, quoted } from './config-reader';
import { readPolicies } from './read-policies';
import { GroupConfig, ROUTING_TIERS, RoutingDefaults, RoutingTier } from './routing-config';

const GROUP_KEYS = ['deployments', 'fallbacks', 'strategy', 'attempts', 'health', 'stickiness'];
/** Clients send a group name as `model`; `provider/model` is the other form, hence no `/`. */
const GROUP_NAME = /^[^\s/]{1,128}$/;

/** Reads `groups` against the known deployment ids; fallbacks are checked for cycles. */
export function readGroups(
  reader: ConfigReader,
  value: unknown,
  deploymentIds: ReadonlySet<string>,
  defaults: RoutingDefaults,
): Map<string, GroupConfig> {
  const groups = new Map<string, GroupConfig>();
  if (value === undefined) return groups;
  if (!isMapping(value)) {
    reader.add('groups', 'must be a mapping of group name to group');
    return groups;
  }
  const names = new Set(Object.keys(value));
  for (const [name, item] of Object.entries(value)) {
    const at = child('groups', name);
    if (!GROUP_NAME.test(name)) {
      reader.add(at, 'a group name must be 1..128 characters without "/" or whitespace');
    }
    const doc = reader.mapping(item, at, GROUP_KEYS);
    if (doc === undefined) continue;
    const deployments = readNames(reader, doc.deployments, `${at}.deployments`, {
      known: deploymentIds,
      what: 'deployment',
      required: true,
    });
    const fallbacks =
      doc.fallbacks === undefined
        ? []
        : readNames(reader, doc.fallbacks, `${at}.fallbacks`, {
            known: names,
            what: 'group',
            self: name,
          });
    groups.set(name, { name, deployments, fallbacks, ...readPolicies(reader, doc, at, defaults) });
  }
  reportCycles(reader, groups);
  return groups;
}

function readNames(
  reader: ConfigReader,
  value: unknown,
  at: string,
  rule: { known: ReadonlySet<string>; what: string; required?: boolean; self?: string },
): string[] {
  if (value === undefined && rule.required !== true) return [];
  const list = reader.list(value, at, { nonEmpty: rule.required });
  if (list === undefined) return [];
  const names: string[] = [];
  list.forEach((item, index) => {
    const itemAt = `${at}[${index}]`;
    if (item === rule.self) {
      reader.add(itemAt, 'a group cannot fall back to itself');
    } else if (typeof item !== 'string' || !rule.known.has(item)) {
      reader.add(itemAt, `unknown ${rule.what}${quoted(item)}`);
    } else if (names.includes(item)) {
      reader.add(itemAt, `${rule.what}${quoted(item)} is listed twice`);
    } else {
      names.push(item);
    }
  });
  return names;
}

/** Each fallback cycle is reported once, at the group where it was first entered. */
function reportCycles(reader: ConfigReader, groups: ReadonlyMap<string, GroupConfig>): void {
  const done = new Set<string>();
  const reported = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (done.has(name)) return;
    const start = path.indexOf(name);
    if (start >= 0) {
      const cycle = path.slice(start);
      const key = [...cycle].sort().join('\u0000');
      if (cycle.length > 1 && !reported.has(key)) {
        reported.add(key);
        reader.add(
          child('groups', cycle[0]) + '.fallbacks',
          `fallback cycle ${[...cycle, name].join(' → ')}`,
        );
      }
      return;
    }
    path.push(name);
    for (const next of groups.get(name)?.fallbacks ?? []) visit(next, path);
    path.pop();
    done.add(name);
  };
  for (const name of groups.keys()) visit(name, []);
}

/** Reads `tiers`: simple|moderate|complex → a known group. */
export function readTiers(
  reader: ConfigReader,
  value: unknown,
  groups: ReadonlyMap<string, unknown>,
): Partial<Record<RoutingTier, string>> {
  const tiers: Partial<Record<RoutingTier, string>> = {};
  if (value === undefined) return tiers;
  const doc = reader.mapping(value, 'tiers', ROUTING_TIERS);
  if (doc === undefined) return tiers;
  for (const tier of ROUTING_TIERS) {
    const group = doc[tier];
    if (group === undefined) continue;
    if (typeof group === 'string' && groups.has(group)) tiers[tier] = group;
    else reader.add(`tiers.${tier}`, `unknown group${quoted(group)}`);
  }
  return tiers;
}
