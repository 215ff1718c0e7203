import type { StrategyName } from '../routing/config/routing-config';
import type { Tier } from './chat-command';

/** `x-sentinel-session`: how the conversation binding was used for this request. */
export type SessionOutcome = 'none' | 'created' | 'reused' | 'migrated' | 'unavailable';

/**
 * What routing decided for one chat request, filled in as the attempts run and final at the
 * commit point (the first content delta, or the error). Response headers, the request log
 * and metrics all read this, never each other.
 */
export interface RoutingDecision {
  session: SessionOutcome;
  /** The group the request was routed in, when one was addressed. */
  group?: string;
  strategy?: StrategyName;
  tier?: Tier;
  /** The deployment of the last attempt (the one that served, on success). */
  deployment?: string;
  provider?: string;
  /** The model the upstream received. */
  model?: string;
  /** Upstream calls made for this request. */
  attempts: number;
  /** Set on a migrated turn: the deployment the conversation left, and why. */
  migratedFrom?: string;
  reason?: string;
  /** Milliseconds waited for a short rate-limit cooldown of the bound deployment. */
  waitedMs?: number;
  /** Optional fields the serving adapter does not support, dropped from the request. */
  droppedParams?: string[];
}

export const newDecision = (session: SessionOutcome): RoutingDecision => ({ session, attempts: 0 });

const sfString = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
/** An RFC 8941 token when the value is one (`failed:server`), a string otherwise. */
const sfItem = (value: string): string =>
  /^[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]*$/.test(value) ? value : sfString(value);

/** `x-sentinel-decision`: an RFC 8941 dictionary of the decision. */
export function renderDecision(decision: RoutingDecision): string {
  const members: string[] = [];
  if (decision.group !== undefined) members.push(`group=${sfString(decision.group)}`);
  if (decision.strategy !== undefined) members.push(`strategy=${decision.strategy}`);
  if (decision.tier !== undefined) members.push(`tier=${decision.tier}`);
  if (decision.deployment !== undefined) {
    members.push(`deployment=${sfString(decision.deployment)}`);
  }
  members.push(`attempt=${Math.max(1, decision.attempts)}`);
  if (decision.migratedFrom !== undefined) {
    members.push(`migrated_from=${sfString(decision.migratedFrom)}`);
  }
  if (decision.reason !== undefined) members.push(`reason=${sfItem(decision.reason)}`);
  if (decision.waitedMs !== undefined) members.push(`waited=${Math.round(decision.waitedMs)}`);
  return members.join(', ');
}

/** The routing headers of a chat response or of an error the router produced. */
export function decisionHeaders(decision: RoutingDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'x-sentinel-session': decision.session,
    'x-sentinel-attempts': String(Math.max(1, decision.attempts)),
    'x-sentinel-decision': renderDecision(decision),
  };
  if (decision.provider !== undefined) headers['x-sentinel-provider'] = decision.provider;
  if (decision.model !== undefined) headers['x-sentinel-model'] = decision.model;
  if (decision.deployment !== undefined) headers['x-sentinel-deployment'] = decision.deployment;
  if (decision.droppedParams !== undefined && decision.droppedParams.length > 0) {
    headers['x-sentinel-dropped-params'] = decision.droppedParams.join(', ');
  }
  return headers;
}
