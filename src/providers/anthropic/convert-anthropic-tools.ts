import { GatewayError } from '../../common/errors/gateway-error';
import type { ToolChoice, ToolDefinition } from '../llm-types';
import type {
  AnthropicMessage,
  AnthropicTool,
  AnthropicToolChoice,
  WireObject,
} from './anthropic-wire';

/** OpenAI function tools as Anthropic tools; `[]` or none → undefined (the field is left out). */
export function convertTools(tools: ToolDefinition[] | undefined): AnthropicTool[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  return tools.map((tool, i) => {
    const { name, description, parameters } = tool.function;
    const converted: AnthropicTool = {
      name,
      input_schema: inputSchema(parameters, `tools[${i}].function.parameters`),
    };
    if (description !== undefined && description !== '') converted.description = description;
    return converted;
  });
}

/**
 * The whole `parameters` schema (not a rebuilt subset of it), with `type: "object"` added when
 * missing: Anthropic requires an object schema, OpenAI lets a tool take no parameters at all.
 */
function inputSchema(parameters: WireObject | undefined, param: string): WireObject {
  if (parameters === undefined) return { type: 'object', properties: {} };
  if (parameters.type === undefined) return { type: 'object', ...parameters };
  if (parameters.type !== 'object') {
    throw new GatewayError('invalid_value', 'Tool parameters must be an object schema.', {
      param: `${param}.type`,
    });
  }
  return parameters;
}

/**
 * OpenAI's `tool_choice` and `parallel_tool_calls` as Anthropic's one `tool_choice`:
 * `required` is `any`, a named function is `tool`, and `parallel_tool_calls: false` becomes
 * `disable_parallel_tool_use` (on an `auto` choice when none was given). `none` cannot carry it.
 */
export function convertToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): AnthropicToolChoice | undefined {
  const disable = parallelToolCalls === false ? { disable_parallel_tool_use: true as const } : {};
  if (choice === undefined)
    return parallelToolCalls === false ? { type: 'auto', ...disable } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...disable };
  if (choice === 'required') return { type: 'any', ...disable };
  return { type: 'tool', name: choice.function.name, ...disable };
}

/**
 * Anthropic refuses a history holding tool_use or tool_result blocks when the request defines
 * no tools, while OpenAI accepts it (a conversation may have moved here from an OpenAI
 * deployment, or the client stopped sending tools). The tools the history used are declared
 * again with an open schema, and `tool_choice: none` keeps the model from calling them.
 */
export function toolsForHistory(messages: AnthropicMessage[]): AnthropicTool[] | undefined {
  const names = new Set<string>();
  for (const message of messages) {
    for (const block of message.content) if (block.type === 'tool_use') names.add(block.name);
  }
  if (names.size === 0) return undefined;
  return [...names].map((name) => ({ name, input_schema: { type: 'object' } }));
}
