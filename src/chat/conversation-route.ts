import type { CandidatePool } from '../routing/attempts/attempt-planner';
import type { Deployment, RouteGroup } from '../routing/deployments/deployment';
import type { SessionRecord } from '../session/session-record';
import type { RoutingDecision } from './routing-decision';

/** The conversation's stored binding as this request knows it (for compare-and-set). */
export interface HeldBinding {
  conversationId: string;
  session: SessionRecord;
  raw: string;
  /** This request created it: a failure before any content removes it again. */
  createdHere: boolean;
}

/**
 * Where one chat request is going, before and between attempts: the group whose policies
 * govern it, the candidate pools in order, the bound deployment to try first, and the session.
 */
export interface ConversationRoute {
  decision: RoutingDecision;
  /** Whose attempts, health and stickiness policies apply. */
  group: RouteGroup;
  pools: CandidatePool[];
  /** A live conversation's deployment, tried first (when it may be). */
  bound?: Deployment;
  /** Implicit deployments serve any model: this is the one to ask for. */
  model?: string;
  /** The conversation, unless stateless (or the store is down). */
  conversationId?: string;
  binding?: HeldBinding;
  /**
   * Why the next claim moves the conversation (`cooldown`, `deployment_removed`,
   * `tier_upgrade`, `failed:<class>`).
   */
  pendingReason?: string;
  /** Set for a new conversation: created by the first attempt's claim. */
  pendingCreate?: { tier?: SessionRecord['tier'] };
}
