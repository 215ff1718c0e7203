import type { ChatRequest } from '../llm-types';
import { convertToOpenAiRequest } from './convert-to-openai-request';

describe('convertToOpenAiRequest', () => {
  const minimal: ChatRequest = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hi' }],
  };

  it('sends only model and messages when nothing else is set, with no undefined keys', () => {
    const body = convertToOpenAiRequest(minimal, { stream: false });

    expect(body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(Object.keys(body)).toEqual(['model', 'messages']);
  });

  it('forwards every sampling and tool field of the contract', () => {
    const request: ChatRequest = {
      ...minimal,
      temperature: 0,
      top_p: 0.5,
      max_tokens: 64,
      stop: ['\n\n', 'END'],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    };

    expect(convertToOpenAiRequest(request, { stream: false })).toEqual(request);
  });

  it('asks for a stream with usage when streaming', () => {
    const body = convertToOpenAiRequest(minimal, { stream: true });

    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('drops fields outside the contract, such as conversation_id, at every level', () => {
    const polluted = {
      ...minimal,
      conversation_id: 'conv-1',
      tier: 'gold',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Look', cache: true }], extra: 1 },
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', other: 1 } }],
        },
      ],
    } as unknown as ChatRequest;

    expect(convertToOpenAiRequest(polluted, { stream: false })).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Look' }] },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
      ],
    });
  });

  it('keeps tool-call turns intact: null content, tool_calls, tool_call_id and name', () => {
    const request: ChatRequest = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.', name: 'policy' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
          ],
        },
        { role: 'tool', content: '42', tool_call_id: 'call_1' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA', detail: 'low' } },
          ],
        },
      ],
    };

    expect(convertToOpenAiRequest(request, { stream: false }).messages).toEqual(request.messages);
  });

  it('forwards every optional OpenAI param as it came', () => {
    const request: ChatRequest = {
      ...minimal,
      n: 2,
      seed: 7,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
      },
      presence_penalty: -1,
      frequency_penalty: 1.5,
      logit_bias: { '50256': -100 },
      logprobs: true,
      top_logprobs: 3,
      user: 'u-1',
      parallel_tool_calls: false,
      max_completion_tokens: 99,
      metadata: { team: 'search' },
      reasoning_effort: 'low',
      service_tier: 'flex',
      store: false,
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'mp3' },
      prediction: { type: 'content', content: 'draft' },
      web_search_options: { search_context_size: 'low' },
      prompt_cache_key: 'pck',
      safety_identifier: 'sid',
      verbosity: 'high',
    };

    expect(convertToOpenAiRequest(request, { stream: false })).toEqual(request);
  });

  it("keeps an assistant turn's refusal, audio reference and legacy function_call", () => {
    const messages: ChatRequest['messages'] = [
      { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
      { role: 'assistant', content: null, audio: { id: 'audio_1' } },
      { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
      { role: 'function', name: 'f', content: '{"ok":true}' },
    ];

    expect(convertToOpenAiRequest({ ...minimal, messages }, { stream: false }).messages).toEqual(
      messages,
    );
  });
});
