import type { Deployment } from '../routing/deployments/deployment';
import { OPTIONAL_PARAMS, type ChatParams, type ChatRequest } from '../providers/llm-types';
import type { RoutingDecision } from './routing-decision';

/**
 * The request one deployment receives: the routed model, and of OpenAI's optional fields only
 * those its adapter supports; the others are dropped and named in the decision (and so in
 * `x-sentinel-dropped-params`). Fields go as they came: nothing is renamed here.
 */
export function paramsFor(
  deployment: Deployment,
  params: ChatParams,
  model: string,
  decision: RoutingDecision,
): ChatRequest {
  const request: ChatRequest = { ...params, model };
  let dropped: string[] | undefined;
  for (const name of OPTIONAL_PARAMS) {
    if (request[name] === undefined || deployment.supportedParams.has(name)) continue;
    delete request[name];
    (dropped ??= []).push(name);
  }
  decision.droppedParams = dropped;
  return request;
}
