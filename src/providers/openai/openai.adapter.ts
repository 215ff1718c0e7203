import { Injectable } from '@nestjs/common';
import type { DeploymentSpec } from '../deployment-spec';
import type { LlmAdapter, LlmModel } from '../llm-adapter.interface';
import { OPTIONAL_PARAMS, OptionalParam } from '../llm-types';
import { OpenAiModel } from './openai.model';

/**
 * The `openai` wire protocol: any OpenAI-compatible Chat Completions server. It forwards every
 * documented OpenAI field; a compatible server that does not know one answers as it does.
 */
@Injectable()
export class OpenAiAdapter implements LlmAdapter {
  readonly kind = 'openai';
  readonly supportedParams: ReadonlySet<OptionalParam> = new Set(OPTIONAL_PARAMS);
  readonly requiresApiKey = false;
  readonly defaultBaseUrl = 'https://api.openai.com/v1';

  createModel(spec: DeploymentSpec): LlmModel {
    return new OpenAiModel(spec, spec.baseUrl ?? this.defaultBaseUrl);
  }
}
