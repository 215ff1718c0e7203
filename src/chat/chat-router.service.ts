import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Caller } from '../auth/caller';
import { GatewayError } from '../common/errors/gateway-error';
import { sessionConfig } from '../config/session.config';
import { LlmProviderRegistry } from '../providers/llm-provider.registry';
import type { SessionRecord } from '../session/session-record';
import { SessionService } from '../session/session.service';
import type { ChatRoute, SessionOutcome } from './chat-route';

const modelRequired = (conversation: boolean): GatewayError =>
  new GatewayError(
    'model_required',
    conversation
      ? 'model is required to start a conversation (no live session for this conversation_id).'
      : 'model is required without a conversation_id.',
    { param: 'model' },
  );

const forbidden = (): GatewayError =>
  new GatewayError('conversation_forbidden', 'This conversation belongs to another caller.', {
    param: 'conversation_id',
  });

/**
 * Decides provider and model per SPEC §4 "Model selection and stickiness": stateless without
 * a conversation_id; the session's binding for a live conversation, whatever the request
 * names; an atomic new binding otherwise. Store outages follow SESSION_STORE_FAILURE_MODE.
 */
@Injectable()
export class ChatRouter {
  private readonly logger = new Logger(ChatRouter.name);

  constructor(
    private readonly registry: LlmProviderRegistry,
    private readonly sessions: SessionService,
    @Inject(sessionConfig.KEY) private readonly config: ConfigType<typeof sessionConfig>,
  ) {}

  async route(
    request: { model?: string; conversation_id?: string },
    caller: Caller,
  ): Promise<ChatRoute> {
    const conversationId = request.conversation_id;
    if (conversationId === undefined) return this.byModel(request.model, 'none');
    try {
      return await this.sticky(conversationId, request.model, caller);
    } catch (error) {
      const degrade =
        error instanceof GatewayError &&
        error.code === 'session_store_unavailable' &&
        this.config.failureMode === 'open' &&
        request.model !== undefined;
      if (!degrade) throw error;
      this.logger.debug(`session store unavailable: serving ${conversationId} statelessly`);
      return this.byModel(request.model, 'unavailable');
    }
  }

  private async sticky(
    conversationId: string,
    model: string | undefined,
    caller: Caller,
  ): Promise<ChatRoute> {
    const lookup = await this.sessions.touch(conversationId, caller.externalId);
    if (lookup.kind === 'forbidden') throw forbidden();
    if (lookup.kind === 'found') return this.bound(lookup.session, model, 'reused');
    if (model === undefined) throw modelRequired(true);
    // Resolve first: an unknown provider must be a 400, not a stored binding.
    const fresh = this.byModel(model, 'created');
    const result = await this.sessions.create(conversationId, caller.externalId, {
      provider: fresh.provider.name,
      model: fresh.model,
    });
    if (result.kind === 'forbidden') throw forbidden();
    return result.kind === 'created' ? fresh : this.bound(result.session, model, 'reused');
  }

  private byModel(model: string | undefined, session: SessionOutcome): ChatRoute {
    if (model === undefined) throw modelRequired(false);
    const resolved = this.registry.resolve(model);
    return { provider: resolved.provider, model: resolved.model, session };
  }

  private bound(
    session: SessionRecord,
    requested: string | undefined,
    outcome: SessionOutcome,
  ): ChatRoute {
    const provider = this.registry.get(session.provider);
    if (provider === undefined) {
      throw new GatewayError(
        'provider_error',
        `This conversation is bound to provider '${session.provider}', which is not enabled; ` +
          'end the session to start over.',
      );
    }
    if (
      requested !== undefined &&
      requested !== session.model &&
      requested !== `${session.provider}/${session.model}`
    ) {
      this.logger.debug(
        `conversation ${session.id} stays on ${session.provider}/${session.model} (request named ${requested})`,
      );
    }
    return { provider, model: session.model, session: outcome };
  }
}
