import { ProviderError } from '../provider-error';
import { isWireObject } from './openai-wire';

/**
 * The class of an OpenAI-style `{"error": {...}}` object (in a 200 body, an SSE event, or a
 * 400 answer): only its `type` and `code` are read, never its message, which may quote the
 * prompt.
 */
export function classifyErrorObject(error: unknown, where: string): ProviderError {
  const type = isWireObject(error) && typeof error.type === 'string' ? error.type : '';
  const code = isWireObject(error) && typeof error.code === 'string' ? error.code : '';
  const label = `The provider reported ${where} (type ${type || 'unknown'})`;
  if (isContextLength(type, code)) return new ProviderError('context_window', `${label}.`);
  if (/rate_limit|quota/.test(`${type} ${code}`))
    return new ProviderError('rate_limit', `${label}.`);
  if (/invalid_request/.test(type)) return new ProviderError('client', `${label}.`);
  return new ProviderError('server', `${label}.`);
}

/** OpenAI's own code, and the wording of compatible servers (vLLM, LiteLLM, Ollama). */
export function isContextLength(type: string, code: string): boolean {
  return code === 'context_length_exceeded' || /context[_ ]length/i.test(type);
}
