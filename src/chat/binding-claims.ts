import type { Caller } from '../auth/caller';
import { GatewayError } from '../common/errors/gateway-error';
import type { MetricsService } from '../metrics/metrics.service';
import type { PlannedAttempt } from '../routing/attempts/attempt-planner';
import type { HealthLookup } from '../routing/attempts/health-lookup';
import type { Deployment, RouteGroup } from '../routing/deployments/deployment';
import type { DeploymentTable } from '../routing/deployments/deployment-table';
import { MAX_MIGRATIONS, SessionRecord } from '../session/session-record';
import type { SessionService } from '../session/session.service';
import type { ConversationRoute, HeldBinding } from './conversation-route';

export const conversationForbidden = (): GatewayError =>
  new GatewayError('conversation_forbidden', 'This conversation belongs to another caller.', {
    param: 'conversation_id',
  });

/** How often a claim may find the record changed under it before it gives up recording. */
const CLAIM_ROUNDS = 3;

/**
 * The writes of conversation routing, made before each upstream call: binding a new
 * conversation to the attempt's deployment (set-if-absent), or moving a live one there with
 * the migration recorded (compare-and-set, following a concurrent turn that moved it first).
 * Owned by ConversationRoutingService, which decides when a claim is needed.
 */
export class BindingClaims {
  constructor(
    private readonly table: DeploymentTable,
    private readonly sessions: SessionService,
    private readonly health: HealthLookup,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * The deployment a record is bound to; records from before routing (no `deployment`) are
   * bound to the first healthy deployment with their provider and model.
   */
  deploymentOf(session: SessionRecord, group: RouteGroup): Deployment | undefined {
    if (session.deployment !== undefined) return this.table.deployment(session.deployment);
    const candidates = this.table.providerModelGroup(session.provider, session.model).members;
    const pool = candidates.length > 0 ? candidates : group.members;
    return pool.find((d) => this.health.availability(d.id).state !== 'open') ?? pool[0];
  }

  /** Binds a new conversation; a lost creation race adopts the stored binding's deployment. */
  async create(
    route: ConversationRoute,
    planned: PlannedAttempt,
    caller: Caller,
  ): Promise<PlannedAttempt> {
    const conversationId = route.conversationId as string;
    const tier = route.pendingCreate?.tier;
    route.pendingCreate = undefined;
    const result = await this.sessions.create(conversationId, caller.externalId, {
      ...this.bindingOf(route, planned.deployment),
      tier,
    });
    if (result.kind === 'forbidden') throw conversationForbidden();
    route.binding = {
      conversationId,
      session: result.session,
      raw: result.raw,
      createdHere: result.kind === 'created',
    };
    if (result.kind === 'created') return planned;
    // Lost the creation race: the winner's binding serves every turn of the conversation.
    route.decision.session = 'reused';
    route.model = this.table.implicit ? result.session.model : undefined;
    const stored = this.deploymentOf(result.session, route.group);
    if (stored === undefined || stored === planned.deployment) return planned;
    return { deployment: stored, group: route.group.name, strategy: route.group.strategy };
  }

  /** Moves a live conversation to the attempt's deployment, recording the migration. */
  async move(route: ConversationRoute, planned: PlannedAttempt): Promise<PlannedAttempt> {
    let binding: HeldBinding | undefined = route.binding;
    for (let round = 0; binding !== undefined && round < CLAIM_ROUNDS; round++) {
      const from =
        binding.session.deployment ?? this.deploymentOf(binding.session, route.group)?.id;
      if (from === planned.deployment.id) return planned;
      const reason = route.pendingReason ?? 'failed';
      const next = this.moved(binding, route, planned.deployment, from, reason);
      const result = await this.sessions.rebind(binding.conversationId, binding.raw, next);
      if (result.kind === 'gone') return planned;
      if (result.kind === 'swapped') {
        binding.session = result.session;
        binding.raw = result.raw;
        if (!binding.createdHere) {
          this.noteMigration(route, from, reason);
          this.metrics.migration(reason);
        }
        return planned;
      }
      // A concurrent turn moved it first: follow it when we can.
      binding.session = result.session;
      binding.raw = result.raw;
      binding.createdHere = false;
      const theirs = this.deploymentOf(result.session, route.group);
      if (
        theirs !== undefined &&
        theirs.id !== from &&
        this.health.availability(theirs.id).state === 'closed'
      ) {
        this.noteMigration(route, from, reason);
        route.model = this.table.implicit ? result.session.model : undefined;
        return { deployment: theirs, group: planned.group, strategy: planned.strategy };
      }
      binding = route.binding;
    }
    return planned;
  }

  private noteMigration(route: ConversationRoute, from: string | undefined, reason: string): void {
    route.decision.session = 'migrated';
    route.decision.migratedFrom = from;
    route.decision.reason = reason;
  }

  private bindingOf(
    route: ConversationRoute,
    deployment: Deployment,
  ): Pick<SessionRecord, 'deployment' | 'provider' | 'model' | 'group'> {
    return {
      deployment: deployment.id,
      provider: deployment.provider,
      model: deployment.model ?? (route.model as string),
      group: route.group.name,
    };
  }

  private moved(
    binding: HeldBinding,
    route: ConversationRoute,
    to: Deployment,
    from: string | undefined,
    reason: string,
  ): SessionRecord {
    const now = Math.floor(Date.now() / 1000);
    const session = binding.session;
    const next: SessionRecord = {
      ...session,
      ...this.bindingOf(route, to),
      tier: route.decision.tier ?? session.tier,
      updated_at: now,
    };
    if (binding.createdHere) {
      next.home_deployment = to.id;
      return next;
    }
    next.home_deployment = session.home_deployment ?? from;
    next.migration_count = (session.migration_count ?? 0) + 1;
    const entry = { at: now, from: from ?? 'unknown', to: to.id, reason };
    next.migrations = [...(session.migrations ?? []), entry].slice(-MAX_MIGRATIONS);
    return next;
  }
}
