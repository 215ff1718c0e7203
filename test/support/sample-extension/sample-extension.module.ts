import { Module } from '@nestjs/common';
import { AuthModule } from '../../../src/auth/auth.module';
import { ChatModule } from '../../../src/chat/chat.module';
import { LlmAdaptersModule } from '../../../src/providers/llm-adapters.module';
import { AuditHook } from './audit.hook';
import { CommandProbeHook } from './command-probe.hook';
import { ExtensionController } from './extension.controller';
import { MaxTokensCapHook } from './max-tokens-cap.hook';
import { ReverseAdapter } from './reverse.adapter';
import { SystemPromptHook } from './system-prompt.hook';
import { TopicPolicyHook } from './topic-policy.hook';

/**
 * What a team adds beside AppModule: its own wire protocol (the `reverse` adapter), its routes
 * (behind the gateway's AuthGuard, reusing ChatService) and its chat hooks. The beforeChat hooks run in this order: the policy check
 * first (a refused request is never rewritten), then the two rewrites, then the tests' probe.
 */
@Module({
  imports: [AuthModule, ChatModule, LlmAdaptersModule.register([ReverseAdapter])],
  controllers: [ExtensionController],
  providers: [TopicPolicyHook, SystemPromptHook, MaxTokensCapHook, CommandProbeHook, AuditHook],
})
export class SampleExtensionModule {}
