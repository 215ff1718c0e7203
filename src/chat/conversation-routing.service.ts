import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Caller } from '../auth/caller';
import { GatewayError } from '../common/errors/gateway-error';
import { sessionConfig } from '../config/session.config';
import { MetricsService } from '../metrics/metrics.service';
import { CandidatePool, PlannedAttempt, poolsOf } from '../routing/attempts/attempt-planner';
import { Availability, HEALTH_LOOKUP, HealthLookup } from '../routing/attempts/health-lookup';
import type { Deployment, RouteGroup } from '../routing/deployments/deployment';
import { DeploymentTable, ResolvedTarget } from '../routing/deployments/deployment-table';
import type { SessionRecord } from '../session/session-record';
import { SessionLookup, SessionService } from '../session/session.service';
import { TIERS, type ChatCommand, type Tier } from './chat-command';
import { BindingClaims, conversationForbidden } from './binding-claims';
import type { ConversationRoute } from './conversation-route';
import { decisionHeaders, newDecision, SessionOutcome } from './routing-decision';

const modelRequired = (conversation: boolean): GatewayError =>
  new GatewayError(
    'model_required',
    conversation
      ? 'model (or tier) is required to start a conversation (no live session for this conversation_id).'
      : 'model is required without a conversation_id.',
    { param: 'model' },
  );

const rank = (tier: Tier | undefined): number => (tier === undefined ? -1 : TIERS.indexOf(tier));
const isStoreDown = (error: unknown): boolean =>
  error instanceof GatewayError && error.code === 'session_store_unavailable';

/**
 * The conversation rules: stateless without a conversation_id; a live conversation stays on
 * its deployment while it is healthy, waits out a short rate limit, answers 503 in a strict
 * group, or migrates (same model elsewhere first, then the group, then its fallbacks, never a
 * lower tier); a new one is bound by its first attempt. Every change of binding is a
 * compare-and-set made before the upstream call, so concurrent turns converge.
 */
@Injectable()
export class ConversationRoutingService {
  private readonly logger = new Logger(ConversationRoutingService.name);
  private readonly claims: BindingClaims;

  constructor(
    private readonly table: DeploymentTable,
    private readonly sessions: SessionService,
    @Inject(HEALTH_LOOKUP) private readonly health: HealthLookup,
    @Inject(sessionConfig.KEY) private readonly config: ConfigType<typeof sessionConfig>,
    metrics: MetricsService,
  ) {
    this.claims = new BindingClaims(table, sessions, health, metrics);
  }

  /** Decides where the request goes before anything is sent upstream. */
  async open(
    command: ChatCommand,
    caller: Caller,
    signal: AbortSignal,
  ): Promise<ConversationRoute> {
    const conversationId = command.conversationId;
    if (conversationId === undefined) return this.fresh(command, 'none', false);
    try {
      return await this.sticky(conversationId, command, caller, signal);
    } catch (error) {
      const degrade =
        isStoreDown(error) && this.config.failureMode === 'open' && command.model !== undefined;
      if (!degrade) throw error;
      this.logger.debug(`session store unavailable: serving ${conversationId} statelessly`);
      return this.fresh(command, 'unavailable', false);
    }
  }

  /**
   * Called before each upstream call: binds a new conversation to the attempt's deployment,
   * or moves a live one there (recording the migration). Returns the attempt to make, which is
   * the stored binding's when a concurrent request got there first.
   */
  async claim(
    route: ConversationRoute,
    planned: PlannedAttempt,
    caller: Caller,
  ): Promise<PlannedAttempt> {
    const conversationId = route.conversationId;
    if (conversationId === undefined) return planned;
    try {
      if (route.pendingCreate !== undefined) {
        return await this.claims.create(route, planned, caller);
      }
      return await this.claims.move(route, planned);
    } catch (error) {
      if (!isStoreDown(error)) throw error;
      // Serving beats recording: the turn goes ahead, the header says the store was missed.
      route.decision.session = 'unavailable';
      route.binding = undefined;
      route.pendingCreate = undefined;
      return planned;
    }
  }

  /** A failed first request leaves no binding behind (only if it is still the one it wrote). */
  async release(route: ConversationRoute): Promise<void> {
    const binding = route.binding;
    if (binding === undefined || !binding.createdHere) return;
    await this.sessions.release(binding.conversationId, binding.raw).catch((error: unknown) => {
      this.logger.warn(`could not remove a failed conversation's binding: ${String(error)}`);
    });
  }

  private fresh(
    command: ChatCommand,
    outcome: SessionOutcome,
    starting: boolean,
  ): ConversationRoute {
    const target = this.target(command, starting);
    const route = this.routeIn(target.group, outcome);
    route.model = target.model;
    if (starting && command.tier !== undefined && this.table.tiers[command.tier] !== undefined) {
      route.decision.tier = command.tier;
    }
    return route;
  }

  /**
   * New conversations: a configured `tier` first, then `model`; stateless requests: `model`,
   * else `tier`. A tier the routing configuration does not map is only an error when there is
   * no model to fall back on.
   */
  private target(command: ChatCommand, starting: boolean): ResolvedTarget {
    const { model, tier } = command;
    const tierMapped = tier !== undefined && this.table.tiers[tier] !== undefined;
    if (starting && tierMapped) return this.table.resolveTier(tier);
    if (model !== undefined) return this.table.resolve(model);
    if (tier !== undefined) return this.table.resolveTier(tier);
    throw modelRequired(starting);
  }

  private routeIn(group: RouteGroup, outcome: SessionOutcome, skipBelow?: Tier): ConversationRoute {
    const decision = newDecision(outcome);
    decision.group = group.name;
    decision.strategy = group.name === undefined ? undefined : group.strategy;
    const floor = rank(skipBelow);
    const pools = poolsOf(group, this.table.groups, (g) => this.tierRank(g) < floor);
    return { decision, group, pools };
  }

  private async sticky(
    conversationId: string,
    command: ChatCommand,
    caller: Caller,
    signal: AbortSignal,
  ): Promise<ConversationRoute> {
    const lookup = await this.sessions.touch(conversationId, caller.externalId);
    if (lookup.kind === 'forbidden') throw conversationForbidden();
    if (lookup.kind === 'absent') {
      if (command.model === undefined && command.tier === undefined) throw modelRequired(true);
      const route = this.fresh(command, 'created', true);
      route.conversationId = conversationId;
      route.pendingCreate = { tier: route.decision.tier };
      return route;
    }
    return this.bound(conversationId, lookup, command, signal);
  }

  private async bound(
    conversationId: string,
    lookup: Extract<SessionLookup, { kind: 'found' }>,
    command: ChatCommand,
    signal: AbortSignal,
  ): Promise<ConversationRoute> {
    const session = lookup.session;
    const named = session.group === undefined ? undefined : this.table.group(session.group);
    const group = named ?? this.table.providerModelGroup(session.provider, session.model);
    const current = this.claims.deploymentOf(session, group);
    const route = this.routeIn(group, 'reused', session.tier);
    route.conversationId = conversationId;
    route.binding = { conversationId, session, raw: lookup.raw, createdHere: false };
    route.model = this.table.implicit ? session.model : undefined;
    route.decision.tier = session.tier;
    if (command.model !== undefined && !this.names(command.model, session)) {
      this.logger.debug(
        `conversation ${conversationId} stays on ${session.provider}/${session.model} (request named ${command.model})`,
      );
    }

    const upgrade = this.tierUpgrade(command.tier, session, current);
    if (upgrade !== undefined) {
      const moved = this.routeIn(upgrade, 'reused', command.tier);
      Object.assign(route, { group: upgrade, pools: moved.pools, pendingReason: 'tier_upgrade' });
      route.decision.group = upgrade.name;
      route.decision.strategy = upgrade.strategy;
      route.decision.tier = command.tier;
      return route;
    }
    route.pools = [
      ...this.sameModelPools(session.provider, session.model, current, group),
      ...route.pools,
    ];
    if (current === undefined) {
      route.pendingReason = 'deployment_removed';
      return route;
    }
    const availability = await this.probed(current);
    if (availability.state !== 'open') {
      route.bound = current;
      return route;
    }
    const { stickiness } = group;
    if (availability.reason === 'rate_limit' && availability.remainingMs <= stickiness.maxWaitMs) {
      await sleep(availability.remainingMs, undefined, { signal });
      route.decision.waitedMs = availability.remainingMs;
      route.bound = current;
      return route;
    }
    if (stickiness.onUnhealthy === 'strict') {
      route.decision.deployment = undefined;
      route.decision.reason = 'cooldown';
      throw new GatewayError(
        'conversation_deployment_unavailable',
        `This conversation's deployment is cooling down and its group keeps conversations where they are; retry later.`,
        {
          param: 'conversation_id',
          retryAfterSeconds: Math.max(1, Math.ceil(availability.remainingMs / 1000)),
          headers: decisionHeaders(route.decision),
        },
      );
    }
    route.pendingReason = 'cooldown';
    return route;
  }

  /** A half-open deployment is the conversation's to probe if it wins the probe. */
  private async probed(deployment: Deployment): Promise<Availability> {
    const availability = this.health.availability(deployment.id);
    if (availability.state !== 'half_open') return availability;
    if (await this.health.tryProbe(deployment.id)) return { state: 'closed' };
    return { state: 'open', remainingMs: 1_000 };
  }

  /** The higher tier's group, when `tier` raises the conversation and its deployment is not in it. */
  private tierUpgrade(
    tier: Tier | undefined,
    session: SessionRecord,
    current: Deployment | undefined,
  ): RouteGroup | undefined {
    if (tier === undefined || rank(tier) <= rank(session.tier)) return undefined;
    const name = this.table.tiers[tier];
    const group = name === undefined ? undefined : this.table.group(name);
    if (group === undefined) return undefined;
    if (current !== undefined && group.members.includes(current)) return undefined;
    return group;
  }

  /**
   * The conversation's model on the group's other deployments: same provider first, then other
   * providers (implicit deployments serve any model of their provider).
   */
  private sameModelPools(
    provider: string,
    model: string,
    current: Deployment | undefined,
    group: RouteGroup,
  ): CandidatePool[] {
    const serves = (d: Deployment): boolean =>
      d.model === model || (d.model === undefined && d.provider === provider);
    const others = group.members.filter((d) => d !== current && serves(d));
    const sameProvider = others.filter((d) => d.provider === provider);
    const otherProvider = others.filter((d) => d.provider !== provider);
    const pool = (members: Deployment[]): CandidatePool => ({
      members,
      strategy: group.strategy,
      group: group.name,
    });
    return [pool(sameProvider), pool(otherProvider)].filter((p) => p.members.length > 0);
  }

  private names(model: string, session: SessionRecord): boolean {
    return (
      model === session.model ||
      model === `${session.provider}/${session.model}` ||
      model === session.group
    );
  }

  private tierRank(group: RouteGroup): number {
    let best = -1;
    for (const tier of TIERS) {
      if (this.table.tiers[tier] === group.name) best = Math.max(best, rank(tier));
    }
    return best;
  }
}
