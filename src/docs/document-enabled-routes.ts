import type { OpenAPIObject } from '@nestjs/swagger';

type Requirement = Record<string, string[]>;
interface Operation {
  security?: Requirement[];
  responses?: Record<string, unknown>;
}
type PathItem = Record<string, Operation>;

const refsIn = (value: unknown): string[] =>
  [...JSON.stringify(value ?? null).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map(
    (m) => m[1],
  );

/** Every schema reachable from `roots` through `$ref`s. */
function reachable(roots: unknown[], schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const queue = roots.flatMap(refsIn);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  return seen;
}

/**
 * The document as this instance serves it: routes whose every security requirement uses a
 * disabled scheme are gone (`/debug/*` without DEBUG_ENDPOINTS), a requirement that is
 * optional (`[{scheme}, {}]`: "needed when configured") becomes required when its scheme is
 * enabled and disappears (with the 401 answer) when it is not, and the security schemes and
 * schemas only the removed parts used are dropped.
 */
export function documentEnabledRoutes(
  document: OpenAPIObject,
  enabledSchemes: ReadonlySet<string>,
): OpenAPIObject {
  const paths: Record<string, PathItem> = {};
  const removed: unknown[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, PathItem>)) {
    const kept: PathItem = {};
    for (const [method, operation] of Object.entries(item)) {
      const security = operation.security;
      if (security === undefined) {
        kept[method] = operation;
        continue;
      }
      const open = security.some((r) => Object.keys(r).length === 0);
      const enabled = security.filter(
        (r) => Object.keys(r).length > 0 && Object.keys(r).every((s) => enabledSchemes.has(s)),
      );
      if (enabled.length > 0) kept[method] = { ...operation, security: enabled };
      else if (open) {
        const opened = { ...operation, responses: { ...operation.responses } };
        delete opened.security;
        delete opened.responses['401'];
        kept[method] = opened;
      } else removed.push(operation);
    }
    if (Object.keys(kept).length > 0) paths[path] = kept;
  }

  const components = { ...document.components };
  const schemas = (components.schemas ?? {}) as Record<string, unknown>;
  const orphans = reachable(removed, schemas);
  const stillUsed = reachable(
    [
      paths,
      ...Object.entries(schemas)
        .filter(([name]) => !orphans.has(name))
        .map(([, s]) => s),
    ],
    schemas,
  );
  components.schemas = Object.fromEntries(
    Object.entries(schemas).filter(([name]) => !orphans.has(name) || stillUsed.has(name)),
  ) as typeof components.schemas;
  const usedSchemes = new Set(
    Object.values(paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op.security ?? []).flatMap((r) => Object.keys(r))),
    ),
  );
  components.securitySchemes = Object.fromEntries(
    Object.entries(components.securitySchemes ?? {}).filter(([name]) => usedSchemes.has(name)),
  );
  return { ...document, paths: paths, components };
}
