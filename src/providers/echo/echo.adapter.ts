import { Injectable } from '@nestjs/common';
import type { DeploymentSpec } from '../deployment-spec';
import type { LlmAdapter, LlmModel } from '../llm-adapter.interface';
import type { OptionalParam } from '../llm-types';
import { EchoModel } from './echo.model';

/** The built-in `echo` protocol: no upstream, no key; it honours none of the optional fields. */
@Injectable()
export class EchoAdapter implements LlmAdapter {
  readonly kind = 'echo';
  readonly supportedParams: ReadonlySet<OptionalParam> = new Set();
  readonly requiresApiKey = false;

  createModel(spec: DeploymentSpec): LlmModel {
    return new EchoModel(spec.id);
  }
}
