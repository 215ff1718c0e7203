import { DiscoveryService } from '@nestjs/core';
import type { Caller } from '../auth/caller';
import type { ErrorCode } from '../common/errors/error-codes';
import type { ChatCommand } from './chat-command';
import type { RoutingDecision } from './routing-decision';

/** What a hook knows of the request it runs around. */
export interface ChatHookContext {
  requestId: string;
  caller: Caller;
}

/** How a chat request ended, for audit hooks. */
export interface ChatHookResult extends ChatHookContext {
  command: ChatCommand;
  decision: RoutingDecision | undefined;
  /** `ok` once the answer was complete (JSON sent, or the stream ended with [DONE]). */
  outcome: 'ok' | 'error' | 'client_gone';
  /** The error the client got (before or during a stream). */
  errorCode?: ErrorCode;
}

/**
 * A hook around the chat use case, for teams extending Sentinel (audit logging, request
 * rewriting, policy checks). Mark a provider of any module with `@ChatHookProvider()`; every
 * such provider runs on every chat request of every surface, in module order.
 */
export interface ChatHook {
  /**
   * Before routing and before anything is read from the session store. Return a changed
   * command to rewrite the request (it is not validated again), or throw a GatewayError to
   * refuse it with that error.
   */
  beforeChat?(
    command: ChatCommand,
    context: ChatHookContext,
  ): ChatCommand | void | Promise<ChatCommand | void>;

  /**
   * Once the request is over, also when a `beforeChat` hook refused it (never awaited: it
   * cannot delay or change the answer). Errors it throws are logged and ignored.
   */
  afterChat?(result: ChatHookResult): void;
}

/** Marks a Nest provider as a ChatHook (discovered at boot). */
export const ChatHookProvider = DiscoveryService.createDecorator<void>();
