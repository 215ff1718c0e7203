import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replies, UpstreamHandler } from './recording-upstream';

/** The OpenAI adapter's recorded fixtures: real answers of OpenAI's API. */
const FIXTURES = join(__dirname, '..', '..', 'src', 'providers', 'openai', 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** A recorded `chat.completion` calling get_weather (Paris, celsius) and get_time (Europe/Paris). */
export const TOOL_CALL_COMPLETION = JSON.parse(fixture('tool-call-completion.json')) as {
  choices: { message: { tool_calls: { id: string; function: { name: string } }[] } }[];
};
export const TOOL_CALL_IDS = TOOL_CALL_COMPLETION.choices[0].message.tool_calls.map((c) => c.id);

/** The upstream answers with the recorded tool calls (JSON). */
export const toolCallAnswer = (): UpstreamHandler => replies.json(TOOL_CALL_COMPLETION);

/** The id of the one tool call in the recorded stream (get_weather for Paris). */
export const STREAMED_TOOL_CALL_ID = 'call_Zr4Tq8WnB2xLk6Ys1Jd9Hc3F';

/** The upstream streams the recorded transcript: some text, then a get_weather call in pieces. */
export const toolCallStream = (): UpstreamHandler =>
  replies.text(fixture('stream-transcript.sse'), {
    headers: { 'content-type': 'text/event-stream' },
  });

/** The two function tools of the recorded answers, in OpenAI's shape. */
export const WEATHER_TOOLS = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Current weather for a city.',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: 'string' } },
        required: ['city'],
      },
    },
  },
  {
    type: 'function' as const,
    function: {
      name: 'get_time',
      description: 'Current time in a timezone.',
      parameters: {
        type: 'object',
        properties: { timezone: { type: 'string' } },
        required: ['timezone'],
      },
    },
  },
];
