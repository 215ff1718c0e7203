import { Injectable } from '@nestjs/common';
import type { DeploymentSpec } from '../deployment-spec';
import type { LlmAdapter, LlmModel } from '../llm-adapter.interface';
import type { OptionalParam } from '../llm-types';
import { ANTHROPIC_DEFAULT_BASE_URL } from './anthropic-wire';
import { AnthropicModel } from './anthropic.model';

/**
 * The Anthropic Messages API (`POST /v1/messages`). Of OpenAI's optional fields it forwards
 * those it has a faithful mapping for: `max_completion_tokens` (as `max_tokens`),
 * `parallel_tool_calls: false` (as `disable_parallel_tool_use`), and `safety_identifier` or
 * `user` (as `metadata.user_id`). The others (`n`, `seed`, `response_format`, penalties,
 * logprobs, OpenAI's `metadata`...) have no Anthropic equivalent and are dropped by the gateway.
 */
@Injectable()
export class AnthropicAdapter implements LlmAdapter {
  readonly kind = 'anthropic';
  readonly requiresApiKey = true;
  readonly defaultBaseUrl = ANTHROPIC_DEFAULT_BASE_URL;
  readonly supportedParams: ReadonlySet<OptionalParam> = new Set<OptionalParam>([
    'max_completion_tokens',
    'parallel_tool_calls',
    'user',
    'safety_identifier',
  ]);

  createModel(spec: DeploymentSpec): LlmModel {
    return new AnthropicModel(spec);
  }
}
