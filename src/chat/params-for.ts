import type { Deployment } from '../routing/deployments/deployment';
import {
  OPTIONAL_PARAMS,
  type ChatParams,
  type ChatRequest,
  type OptionalParam,
} from '../providers/llm-types';
import type { RoutingDecision } from './routing-decision';

/** Each optional field's place in OPTIONAL_PARAMS: dropped fields are named in that order. */
const OPTIONAL_ORDER: ReadonlyMap<string, number> = new Map(
  OPTIONAL_PARAMS.map((name, i) => [name, i]),
);

/**
 * The request one deployment receives: the routed model, and of OpenAI's optional fields only
 * those its adapter supports; the others are dropped and named in the decision (and so in
 * `x-sentinel-dropped-params`). Fields go as they came: nothing is renamed here. Only the
 * fields the request carries are looked at (a handful, against the whole optional list).
 */
export function paramsFor(
  deployment: Deployment,
  params: ChatParams,
  model: string,
  decision: RoutingDecision,
): ChatRequest {
  let dropped: OptionalParam[] | undefined;
  for (const name in params) {
    if (!OPTIONAL_ORDER.has(name)) continue;
    const param = name as OptionalParam;
    if (params[param] === undefined || deployment.supportedParams.has(param)) continue;
    (dropped ??= []).push(param);
  }
  const request: ChatRequest = { ...params, model };
  if (dropped !== undefined) {
    for (const name of dropped) delete request[name];
    dropped.sort((a, b) => OPTIONAL_ORDER.get(a)! - OPTIONAL_ORDER.get(b)!);
  }
  decision.droppedParams = dropped;
  return request;
}
