import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { ChatCommand } from './chat-command';
import { ChatHook, ChatHookContext, ChatHookProvider, ChatHookResult } from './chat-hook.interface';

/** Every `@ChatHookProvider()` of the app, run in order around each chat request. */
@Injectable()
export class ChatHooks implements OnModuleInit {
  private readonly logger = new Logger(ChatHooks.name);
  private before: ChatHook[] = [];
  private after: ChatHook[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const hooks = this.discovery
      .getProviders({ metadataKey: ChatHookProvider.KEY })
      .map((wrapper) => wrapper.instance as ChatHook | undefined)
      .filter((hook): hook is ChatHook => hook !== undefined && hook !== null);
    this.before = hooks.filter((h) => typeof h.beforeChat === 'function');
    this.after = hooks.filter((h) => typeof h.afterChat === 'function');
    if (hooks.length > 0)
      this.logger.log(`chat hooks: ${hooks.map((h) => h.constructor.name).join(', ')}`);
  }

  /** True when no hook is registered: the hot path skips the calls entirely. */
  get none(): boolean {
    return this.before.length === 0 && this.after.length === 0;
  }

  async beforeChat(command: ChatCommand, context: ChatHookContext): Promise<ChatCommand> {
    let current = command;
    for (const hook of this.before)
      current = (await hook.beforeChat?.(current, context)) ?? current;
    return current;
  }

  afterChat(result: ChatHookResult): void {
    for (const hook of this.after) {
      try {
        hook.afterChat?.(result);
      } catch (error) {
        this.logger.warn(`${hook.constructor.name}.afterChat failed: ${(error as Error).name}`);
      }
    }
  }
}
