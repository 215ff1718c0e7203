import { readAnthropicUsage, toUsage, updateAnthropicUsage } from './map-anthropic-usage';

describe('Anthropic usage', () => {
  it('counts cache writes and reads in the prompt and reports the reads as cached tokens', () => {
    const usage = readAnthropicUsage({
      input_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 41203,
      output_tokens: 21,
    });

    expect(toUsage(usage)).toStrictEqual({
      prompt_tokens: 41208,
      completion_tokens: 21,
      total_tokens: 41229,
      prompt_tokens_details: { cached_tokens: 41203 },
    });
  });

  it('counts cache writes in the prompt but not as cached (no details without a cache read, as the openai adapter)', () => {
    const usage = readAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 2048,
      cache_read_input_tokens: 0,
      output_tokens: 3,
    });
    expect(toUsage(usage)).toStrictEqual({
      prompt_tokens: 2058,
      completion_tokens: 3,
      total_tokens: 2061,
    });
  });

  it('reads missing, null and unreadable counters as 0', () => {
    expect(toUsage(readAnthropicUsage(undefined)).total_tokens).toBe(0);
    expect(
      readAnthropicUsage({ input_tokens: 7, cache_read_input_tokens: null, output_tokens: '3' }),
    ).toEqual({ input: 7, cacheWrite: 0, cacheRead: 0, output: 0 });
  });

  it('overwrites output tokens with a later running total, never adding them', () => {
    const start = readAnthropicUsage({ input_tokens: 12, output_tokens: 1 });
    expect(updateAnthropicUsage(start, { output_tokens: 30 })).toEqual({
      input: 12,
      cacheWrite: 0,
      cacheRead: 0,
      output: 30,
    });
  });

  it('takes a larger later input count but keeps the earlier one when it is missing or 0', () => {
    const start = readAnthropicUsage({ input_tokens: 43, cache_read_input_tokens: 100 });
    expect(updateAnthropicUsage(start, { input_tokens: 61, output_tokens: 5 }).input).toBe(61);
    expect(updateAnthropicUsage(start, { output_tokens: 5 })).toMatchObject({
      input: 43,
      cacheRead: 100,
    });
    expect(
      updateAnthropicUsage(start, { input_tokens: 0, cache_read_input_tokens: null }),
    ).toMatchObject({ input: 43, cacheRead: 100 });
  });
});
