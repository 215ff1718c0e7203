import type { Deployment, RouteGroup } from '../routing/deployments/deployment';

/** One entry of `GET /v1/models`, in OpenAI's shape. */
export interface ModelEntry {
  /** What a client may send as `model`. */
  id: string;
  object: 'model';
  /** Unix seconds: when this gateway instance built its routing table. */
  created: number;
  owned_by: string;
}

/** `GET /v1/models` and `GET /native/v1/models`: OpenAI's list format. */
export interface ModelList {
  object: 'list';
  data: ModelEntry[];
}

/** The parts of the routing table a model list is made of (DeploymentTable has them). */
export interface RoutingView {
  readonly implicit: boolean;
  readonly deployments: readonly Deployment[];
  readonly groups: ReadonlyMap<string, RouteGroup>;
  readonly tiers: Partial<Record<string, string>>;
}

export const OWNED_BY = 'sentinel';

/**
 * The names a client can use as `model`, each once, in this order: the routing file's groups
 * (a tier's group is one of them), then `provider/model` of every configured deployment. An
 * implicit deployment (no routing file) serves any model of its provider, so there is no model
 * name to list: it appears as its provider's name (`openai`, `echo`), and clients address it
 * as `<provider>/<any model>`. Nothing else of a deployment (ids, base URLs, keys) is listed.
 */
export function modelIds(view: RoutingView): string[] {
  const ids = new Set<string>();
  for (const name of view.groups.keys()) ids.add(name);
  for (const group of Object.values(view.tiers)) {
    if (group !== undefined && view.groups.has(group)) ids.add(group);
  }
  for (const deployment of view.deployments) {
    ids.add(
      deployment.model === undefined
        ? deployment.provider
        : `${deployment.provider}/${deployment.model}`,
    );
  }
  return [...ids];
}

export function toModelList(ids: readonly string[], created: number): ModelList {
  return {
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created, owned_by: OWNED_BY })),
  };
}
