import { Injectable } from '@nestjs/common';
import type { DeploymentSpec } from '../../../src/providers/deployment-spec';
import type { LlmAdapter, LlmModel } from '../../../src/providers/llm-adapter.interface';
import type { OptionalParam } from '../../../src/providers/llm-types';
import { ReverseModel } from './reverse.model';

/**
 * A team's own wire protocol, `reverse`: a text service that answers with the reversed text of
 * the last user message. It honours none of OpenAI's optional fields (the gateway drops them
 * and names them in `x-sentinel-dropped-params`) and needs a key.
 */
@Injectable()
export class ReverseAdapter implements LlmAdapter {
  readonly kind = 'reverse';
  readonly supportedParams: ReadonlySet<OptionalParam> = new Set();
  readonly requiresApiKey = true;
  readonly defaultBaseUrl = 'https://reverse.example/v1';

  createModel(spec: DeploymentSpec): LlmModel {
    return new ReverseModel(spec, spec.baseUrl ?? this.defaultBaseUrl);
  }
}
