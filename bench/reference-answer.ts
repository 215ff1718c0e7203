/** The fixed answer of the reference apps: a chat.completion of the gateway's usual size. */
export const REFERENCE_ANSWER = {
  id: 'chatcmpl-bench0000000000000000000000',
  object: 'chat.completion',
  created: 1_732_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Sure. Here is a short answer of about the usual length for a chat turn.',
      },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 25, completion_tokens: 17, total_tokens: 42 },
};
