import type { Type } from '@nestjs/common';
import { AnthropicAdapter } from './anthropic/anthropic.adapter';
import { EchoAdapter } from './echo/echo.adapter';
import type { LlmAdapter } from './llm-adapter.interface';
import { OpenAiAdapter } from './openai/openai.adapter';

/**
 * Every wire protocol Sentinel speaks. Adding one is a folder under `src/providers/<kind>/`
 * plus one entry here; deployments then name it as their `provider`.
 */
export const LLM_ADAPTER_CLASSES: Type<LlmAdapter>[] = [
  OpenAiAdapter,
  AnthropicAdapter,
  EchoAdapter,
];
