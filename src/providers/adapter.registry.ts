import { Inject, Injectable } from '@nestjs/common';
import { LLM_ADAPTERS, LlmAdapter } from './llm-adapter.interface';

/** The registered wire protocols by kind. Building them opens nothing: models do, per deployment. */
@Injectable()
export class AdapterRegistry {
  private readonly byKind = new Map<string, LlmAdapter>();

  constructor(@Inject(LLM_ADAPTERS) adapters: LlmAdapter[]) {
    for (const adapter of adapters) {
      if (this.byKind.has(adapter.kind)) {
        throw new Error(`Two LLM adapters are of kind '${adapter.kind}'.`);
      }
      this.byKind.set(adapter.kind, adapter);
    }
  }

  get(kind: string): LlmAdapter | undefined {
    return this.byKind.get(kind);
  }

  /** Kinds in registration order. */
  kinds(): string[] {
    return [...this.byKind.keys()];
  }
}
