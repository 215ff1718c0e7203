import type { Type } from '@nestjs/common';
import { EchoProvider } from './echo/echo.provider';
import type { LlmProvider } from './llm-provider.interface';
import { OpenAiProvider } from './openai/openai.provider';

/**
 * Every LlmProvider class, in routing-list order. Adding a provider is a folder under
 * `src/providers/<name>/` plus one entry here; ProvidersModule and the registry pick it up.
 */
export const LLM_PROVIDER_CLASSES: Type<LlmProvider>[] = [OpenAiProvider, EchoProvider];
