import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { CacheBackend } from '../cache/cache-backend.interface';
import { CacheUnavailableError } from '../cache/cache-unavailable.error';
import { InjectCacheBackend } from '../cache/inject-cache-backend.decorator';
import { GatewayError } from '../common/errors/gateway-error';
import { sessionConfig } from '../config/session.config';
import { decodeSession, encodeSession, SessionRecord } from './session-record';
import { OWNER_FIELD, sessionKey } from './session-key';

/**
 * What the store holds for a conversation, from one caller's point of view. `raw` is the
 * stored text, the expected value of a later compare-and-set.
 */
export type SessionLookup =
  | { kind: 'found'; session: SessionRecord; raw: string }
  | { kind: 'absent' }
  | { kind: 'forbidden' };

/** What a conversation is bound to. */
export type SessionBinding = Pick<
  SessionRecord,
  'provider' | 'model' | 'deployment' | 'group' | 'tier'
>;

/** The outcome of a compare-and-set on a binding. */
export type RebindResult =
  | { kind: 'swapped'; session: SessionRecord; raw: string }
  /** Someone else changed it first (a concurrent turn migrated): this is what it holds now. */
  | { kind: 'changed'; session: SessionRecord; raw: string }
  | { kind: 'gone' };

export interface SessionView extends SessionRecord {
  /** Seconds until the session expires without further activity. */
  expires_in: number;
}

/**
 * Conversation bindings over the CacheBackend. Ownership is checked by the store itself, so a
 * foreign caller can neither read, refresh, change nor end someone else's session. Store
 * failures surface as GatewayError `session_store_unavailable`.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);

  constructor(
    @InjectCacheBackend() private readonly cache: CacheBackend,
    @Inject(sessionConfig.KEY) private readonly config: ConfigType<typeof sessionConfig>,
  ) {}

  /** Reads the caller's live session and slides its lifetime, in one store round trip. */
  async touch(conversationId: string, externalId: string): Promise<SessionLookup> {
    const raw = await this.store(() =>
      this.cache.getAndRefresh(sessionKey(conversationId), this.config.ttlSeconds, {
        field: OWNER_FIELD,
        equals: externalId,
      }),
    );
    if (raw === null) return { kind: 'absent' };
    const session = decodeSession(raw, conversationId);
    if (session === null) return this.discardCorrupt(conversationId);
    return session.external_id === externalId
      ? { kind: 'found', session, raw }
      : { kind: 'forbidden' };
  }

  /**
   * Binds a new conversation atomically. Concurrent creators agree: whoever loses adopts the
   * stored binding (`created: false`), and a binding owned by another caller is `forbidden`.
   */
  async create(
    conversationId: string,
    externalId: string,
    binding: SessionBinding,
    retried = false,
  ): Promise<
    { kind: 'created' | 'adopted'; session: SessionRecord; raw: string } | { kind: 'forbidden' }
  > {
    const candidate: SessionRecord = {
      id: conversationId,
      ...binding,
      external_id: externalId,
      created_at: Math.floor(Date.now() / 1000),
    };
    if (binding.deployment !== undefined) candidate.home_deployment = binding.deployment;
    const result = await this.store(() =>
      this.cache.setIfAbsent(
        sessionKey(conversationId),
        encodeSession(candidate),
        this.config.ttlSeconds,
      ),
    );
    // Even our own write is read back from what the store says it holds (FIELD-NOTES).
    const stored = decodeSession(result.value, conversationId);
    if (stored === null) {
      if (retried) throw new Error('the session store keeps returning unreadable records');
      await this.discardCorrupt(conversationId);
      return this.create(conversationId, externalId, binding, true);
    }
    if (stored.external_id !== externalId) return { kind: 'forbidden' };
    return { kind: result.stored ? 'created' : 'adopted', session: stored, raw: result.value };
  }

  /**
   * Replaces the binding only if the record is still exactly `expectedRaw` (one atomic
   * compare-and-set), so concurrent turns of a conversation converge on one binding. The
   * lifetime restarts. Whoever loses gets what the store holds now.
   */
  async rebind(
    conversationId: string,
    expectedRaw: string,
    next: SessionRecord,
  ): Promise<RebindResult> {
    const encoded = encodeSession(next);
    const result = await this.store(() =>
      this.cache.compareAndSwap(
        sessionKey(conversationId),
        expectedRaw,
        encoded,
        this.config.ttlSeconds,
      ),
    );
    if (result.swapped) return { kind: 'swapped', session: next, raw: encoded };
    const current = result.value === null ? null : decodeSession(result.value, conversationId);
    if (current === null || result.value === null) return { kind: 'gone' };
    return { kind: 'changed', session: current, raw: result.value };
  }

  /**
   * Removes a binding that a failed first request created, only if it is still the one it
   * wrote (a concurrent request may have served a turn on it meanwhile... or replaced it).
   */
  async release(conversationId: string, expectedRaw: string): Promise<boolean> {
    const result = await this.store(() =>
      this.cache.compareAndSwap(sessionKey(conversationId), expectedRaw, null, 1),
    );
    return result.swapped;
  }

  /** The caller's own session without refreshing it; null when absent or someone else's. */
  async findOwn(conversationId: string, externalId: string): Promise<SessionView | null> {
    const view = await this.inspect(conversationId);
    return view?.external_id === externalId ? view : null;
  }

  /** Any session, for operators (debug route). */
  async inspect(conversationId: string): Promise<SessionView | null> {
    const entry = await this.store(() => this.cache.get(sessionKey(conversationId)));
    if (entry === null) return null;
    const session = decodeSession(entry.value, conversationId);
    if (session === null) return null;
    return { ...session, expires_in: Math.max(0, Math.ceil(entry.ttlMs / 1000)) };
  }

  /** Ends the caller's own session; false when there is none of theirs. */
  end(conversationId: string, externalId: string): Promise<boolean> {
    return this.store(() =>
      this.cache.delete(sessionKey(conversationId), { field: OWNER_FIELD, equals: externalId }),
    );
  }

  /**
   * A record nobody can trust (hand-edited, truncated) would otherwise fail every request of
   * the conversation forever: drop it so the next request binds afresh.
   */
  private async discardCorrupt(conversationId: string): Promise<{ kind: 'absent' }> {
    this.logger.warn(`replacing an unreadable session record (conversation ${conversationId})`);
    await this.store(() => this.cache.delete(sessionKey(conversationId)));
    return { kind: 'absent' };
  }

  private async store<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof CacheUnavailableError)) throw error;
      throw new GatewayError(
        'session_store_unavailable',
        'The session store is unavailable; retry shortly.',
        { retryAfterSeconds: this.config.retryAfterSeconds, cause: error },
      );
    }
  }
}
