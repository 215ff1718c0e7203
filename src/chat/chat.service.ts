import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Caller } from '../auth/caller';
import { GatewayError } from '../common/errors/gateway-error';
import type { RequestFacts } from '../common/http/request-facts';
import { providersConfig } from '../config/providers.config';
import { MetricsService } from '../metrics/metrics.service';
import { toGatewayError } from '../common/errors/to-gateway-error';
import type { LlmCallContext } from '../providers/llm-adapter.interface';
import type { ChatRequest } from '../providers/llm-types';
import { ProviderError } from '../providers/provider-error';
import {
  AttemptPlanner,
  Exhausted,
  isExhausted,
  PICKER,
  PlannedAttempt,
  type Picker,
} from '../routing/attempts/attempt-planner';
import { HEALTH_LOOKUP, HealthLookup } from '../routing/attempts/health-lookup';
import { LocalStatsTracker } from '../routing/strategies/local-stats-tracker';
import { toCompletionBody } from './chat-completion.serializer';
import type { ChatCommand } from './chat-command';
import type { ChatOutcome } from './chat-outcome';
import type { ConversationRoute } from './conversation-route';
import { ConversationRoutingService } from './conversation-routing.service';
import { paramsFor } from './params-for';
import { decisionHeaders, RoutingDecision } from './routing-decision';
import { ChatHooks } from './chat-hooks.service';
import { errorEvent } from './sse-events';
import { committedEvents, readToCommit } from './stream-commit';
import { toClientError } from './to-client-error';

export interface ChatContext {
  /**
   * Aborted when the client goes away, or by `abort` when the attempts deadline passes (its
   * reason is then a DeadlineExceeded: see clientLeft). Upstream calls use it as it is.
   */
  signal: AbortSignal;
  /** Aborts `signal`. chatContext(req, res) builds both from one AbortController. */
  abort: (reason: Error) => void;
  requestId: string;
  facts: RequestFacts;
}

/** The deadline of a request's attempts passed: the upstream call is cancelled. */
class DeadlineExceeded extends Error {
  constructor() {
    super('The attempts deadline passed.');
    this.name = 'DeadlineExceeded';
  }
}

/** Whether the request's client has gone (not merely its attempts' deadline passed). */
export const clientLeft = (signal: AbortSignal): boolean =>
  signal.aborted && !(signal.reason instanceof DeadlineExceeded);

/**
 * The chat use case, shared by every surface: route (session rules, health), then attempt
 * deployments within one budget and deadline until one answers; a failure before the first
 * content delta moves on to the next deployment, one after it ends the stream with an error
 * event. Returns the outcome with its routing decision; the surface writes it.
 */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    private readonly routing: ConversationRoutingService,
    @Inject(HEALTH_LOOKUP) private readonly health: HealthLookup,
    @Inject(PICKER) private readonly pick: Picker,
    private readonly stats: LocalStatsTracker,
    private readonly hooks: ChatHooks,
    private readonly metrics: MetricsService,
    @Inject(providersConfig.KEY) private readonly config: ConfigType<typeof providersConfig>,
  ) {}

  async execute(command: ChatCommand, caller: Caller, context: ChatContext): Promise<ChatOutcome> {
    if (this.hooks.none) return this.run(command, caller, context);
    const hookContext = { requestId: context.requestId, caller };
    let rewritten = command;
    const report = (outcome: 'ok' | 'error' | 'client_gone', error?: unknown): void =>
      this.hooks.afterChat({
        ...hookContext,
        command: rewritten,
        decision: context.facts.decision,
        outcome: clientLeft(context.signal) ? 'client_gone' : outcome,
        errorCode: error === undefined ? context.facts.upstreamError : toGatewayError(error).code,
      });
    let outcome: ChatOutcome;
    try {
      // A refusal by a hook is reported too (audit sees every request that reached the use case).
      rewritten = await this.hooks.beforeChat(command, hookContext);
      outcome = await this.run(rewritten, caller, context);
    } catch (error) {
      report('error', error);
      throw error;
    }
    if (outcome.kind === 'json') {
      report('ok');
      return outcome;
    }
    const events = until(outcome.events, () =>
      report(context.facts.upstreamError === undefined ? 'ok' : 'error'),
    );
    return { ...outcome, events };
  }

  private async run(
    command: ChatCommand,
    caller: Caller,
    context: ChatContext,
  ): Promise<ChatOutcome> {
    const { facts } = context;
    facts.mode = command.stream ? 'stream' : 'json';
    const route = await this.routing.open(command, caller, context.signal);
    facts.decision = route.decision;

    const deadline = setTimeout(
      () => context.abort(new DeadlineExceeded()),
      route.group.attempts.deadlineMs,
    );
    const call: LlmCallContext = { signal: context.signal, requestId: context.requestId };
    try {
      // A committed stream is past the deadline's reach; the client's departure still ends it.
      return await this.attempts(command, caller, route, call, context);
    } finally {
      clearTimeout(deadline);
    }
  }

  private async attempts(
    command: ChatCommand,
    caller: Caller,
    route: ConversationRoute,
    call: LlmCallContext,
    context: ChatContext,
  ): Promise<ChatOutcome> {
    const { decision } = route;
    const planner = new AttemptPlanner(route.pools, this.health, this.pick);
    let last: ProviderError | undefined;
    let exhausted: Exhausted | undefined;
    for (let n = 0; n < route.group.attempts.max; n++) {
      const next = await this.plan(route, planner, n, call.signal);
      if (isExhausted(next)) {
        exhausted = next;
        break;
      }
      const planned = await this.routing.claim(route, next, caller);
      planner.tried.add(planned.deployment.id);
      const { deployment } = planned;
      // Implicit deployments serve the model the conversation or request named.
      const model = deployment.model ?? route.model ?? '';
      decision.attempts++;
      decision.deployment = deployment.id;
      decision.provider = deployment.provider;
      decision.model = model;
      const request = paramsFor(deployment, command.params, model, decision);
      const startedAt = performance.now();
      context.facts.upstreamStartedAt ??= startedAt;
      this.stats.start(deployment.id);
      try {
        const outcome = command.stream
          ? await this.streamAttempt(planned, request, command.includeUsage, call, context, route)
          : await this.jsonAttempt(planned, request, call, decision);
        context.facts.upstreamRespondedAt = performance.now();
        this.stats.end(deployment.id, context.facts.upstreamRespondedAt - startedAt);
        this.health.noteSuccess(deployment.id);
        this.metrics.attempt(deployment.id, 'success', n > 0);
        return outcome;
      } catch (error) {
        this.stats.end(deployment.id);
        const failure = this.classify(error, call.signal, context.signal);
        if (!(failure instanceof ProviderError)) {
          await this.routing.release(route);
          throw this.withHeaders(failure, decision, context);
        }
        this.noteFailure(planned, failure, route);
        this.metrics.attempt(deployment.id, failure.cls, n > 0);
        this.logFailure(context.requestId, planned, decision.attempts, failure);
        last = failure;
        if (!failure.retryable || this.staysPut(route)) break;
        route.pendingReason = `failed:${failure.cls}`;
      }
    }
    await this.routing.release(route);
    throw this.withHeaders(this.finalError(last, exhausted, decision), decision, context);
  }

  /** The bound deployment first; otherwise the planner (waiting out one short rate limit). */
  private async plan(
    route: ConversationRoute,
    planner: AttemptPlanner,
    n: number,
    signal: AbortSignal,
  ): Promise<PlannedAttempt | Exhausted> {
    if (n === 0 && route.bound !== undefined) {
      return planner.take(route.bound, { group: route.group.name, strategy: route.group.strategy });
    }
    const next = await planner.next();
    if (!isExhausted(next) || !next.soonestIsRateLimit || next.soonestMs === undefined) return next;
    if (next.soonestMs > route.group.stickiness.maxWaitMs) return next;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, next.soonestMs);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    route.decision.waitedMs = (route.decision.waitedMs ?? 0) + next.soonestMs;
    signal.throwIfAborted();
    return planner.next();
  }

  private async jsonAttempt(
    planned: PlannedAttempt,
    request: ChatRequest,
    call: LlmCallContext,
    decision: RoutingDecision,
  ): Promise<ChatOutcome> {
    const result = await planned.deployment.llm.complete(request, call);
    return { kind: 'json', decision, body: toCompletionBody(result) };
  }

  /** The stream read up to its commit point (see readToCommit); a failure before it is the attempt's. */
  private async streamAttempt(
    planned: PlannedAttempt,
    request: ChatRequest,
    includeUsage: boolean,
    call: LlmCallContext,
    context: ChatContext,
    route: ConversationRoute,
  ): Promise<ChatOutcome> {
    const chunks = await planned.deployment.llm.stream(request, call);
    const held = await readToCommit(chunks, this.config.sseKeepAliveMs, context.facts);
    const events = committedEvents(held, includeUsage, (error) =>
      this.streamFailed(error, planned, route, context),
    );
    return { kind: 'stream', decision: route.decision, events };
  }

  /** A committed stream failed: health, the log line, and the error event (none if the client left). */
  private streamFailed(
    error: unknown,
    planned: PlannedAttempt,
    route: ConversationRoute,
    context: ChatContext,
  ): string | null {
    if (clientLeft(context.signal)) return null;
    const failure = error instanceof ProviderError ? error : undefined;
    if (failure !== undefined) this.noteFailure(planned, failure, route);
    const clientError = failure === undefined ? toGatewayError(error) : toClientError(failure);
    context.facts.upstreamError = clientError.code;
    const detail = failure?.detail === undefined ? '' : ` (${failure.detail})`;
    this.logger.warn(
      `request ${context.requestId}: stream ended by ${clientError.code}: ${clientError.message}${detail}`,
    );
    return errorEvent(clientError.toEnvelope());
  }

  /** A failure of the attempt, the client's departure (rethrown as is), or a GatewayError. */
  private classify(error: unknown, upstream: AbortSignal, client: AbortSignal): unknown {
    if (clientLeft(client)) throw error;
    if (upstream.aborted && upstream.reason instanceof DeadlineExceeded) {
      return new ProviderError('timeout', 'The attempts deadline passed.', { cause: error });
    }
    if (error instanceof ProviderError || error instanceof GatewayError) return error;
    return toGatewayError(error);
  }

  private noteFailure(
    planned: PlannedAttempt,
    failure: ProviderError,
    route: ConversationRoute,
  ): void {
    if (failure.cls === 'client' || failure.cls === 'context_window') return;
    this.health.noteFailure(
      planned.deployment.id,
      { cls: failure.cls, retryAfterMs: failure.retryAfterMs },
      route.group.health,
    );
  }

  /** One line per failed attempt: the deployment, the class and what the client would see. */
  private logFailure(
    requestId: string,
    planned: PlannedAttempt,
    attempt: number,
    failure: ProviderError,
  ): void {
    const shown = toClientError(failure);
    const detail = failure.detail === undefined ? '' : ` (${failure.detail})`;
    this.logger.warn(
      `request ${requestId}: attempt ${attempt} on ${planned.deployment.id} failed (${failure.cls}): ` +
        `${shown.code}: ${shown.message}${detail}`,
    );
  }

  /** A strict group keeps a live conversation where it is: its failure is this request's error. */
  private staysPut(route: ConversationRoute): boolean {
    return (
      route.group.stickiness.onUnhealthy === 'strict' &&
      route.binding !== undefined &&
      !route.binding.createdHere
    );
  }

  private finalError(
    last: ProviderError | undefined,
    exhausted: Exhausted | undefined,
    decision: RoutingDecision,
  ): GatewayError {
    if (last !== undefined) return toClientError(last);
    decision.reason = 'no_healthy_deployment';
    const seconds = Math.max(1, Math.ceil((exhausted?.soonestMs ?? 1000) / 1000));
    return new GatewayError(
      'no_healthy_deployment',
      'Every deployment that could serve this request is cooling down; retry later.',
      { param: 'model', retryAfterSeconds: seconds },
    );
  }

  private withHeaders(error: unknown, decision: RoutingDecision, context: ChatContext): unknown {
    if (!(error instanceof GatewayError)) return error;
    if (decision.attempts > 0) context.facts.upstreamError = error.code;
    error.headers = { ...error.headers, ...decisionHeaders(decision) };
    return error;
  }
}

/** The events, then `done()` however the iteration ends. */
async function* until(events: AsyncIterable<string>, done: () => void): AsyncGenerator<string> {
  try {
    yield* events;
  } finally {
    done();
  }
}
