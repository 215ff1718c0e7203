import everyOptionalParam from '../../src/chat/dto/fixtures/every-optional-param.json';
import { OPTIONAL_PARAMS } from '../../src/providers/llm-types';
import { auth, BOB, createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, get, post } from '../support/http';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';

/**
 * What the request boundary lets through: `null` on an optional field means absent (as in
 * OpenAI's API) and never reaches the upstream; `null` where a value is required is a 400
 * naming the field; OpenAI's optional fields arrive upstream as sent; and nothing touches the
 * session store before the whole body is valid.
 */
const MODEL = 'openai/gpt-x';
const user = { role: 'user', content: 'hi' };
const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };

describe('request boundary', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;
  let chat: string;
  let n = 0;
  const conversation = (): string => `boundary-${++n}`;
  const session = (id: string, key?: string): ReturnType<typeof get> =>
    get(`${app.url}/native/v1/sessions/${id}`, auth(key));

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-gateway-upstream-key' },
    });
    chat = `${app.url}/native/v1/chat/completions`;
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  describe('null on an optional field means absent', () => {
    it('"model": null without a conversation is 400 model_required, and nothing is sent upstream', async () => {
      const res = await post(chat, { model: null, messages: [user] });
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'model_required', 'invalid_request_error');
      expect(upstream.requests).toHaveLength(0);
    });

    it('"model": null on a live conversation is served by the bound model', async () => {
      const id = conversation();
      expect(
        (await post(chat, { model: MODEL, conversation_id: id, messages: [user] })).status,
      ).toBe(200);
      const res = await post(chat, { model: null, conversation_id: id, messages: [user] });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sentinel-session')).toBe('reused');
      expect(upstream.requests.map((r) => r.body.model)).toEqual(['gpt-x', 'gpt-x']);
    });

    it('"tools": null with a new conversation means no tools: served, bound, no tools upstream', async () => {
      const id = conversation();
      const res = await post(chat, {
        model: MODEL,
        conversation_id: id,
        tools: null,
        messages: [user],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sentinel-session')).toBe('created');
      expect(upstream.last.body).not.toHaveProperty('tools');
      expect((await session(id)).status).toBe(200);
    });

    it('"conversation_id": null is stateless: no shared "null" session between callers', async () => {
      for (const key of [undefined, BOB]) {
        const res = await post(
          chat,
          { model: MODEL, conversation_id: null, messages: [user] },
          auth(key),
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('x-sentinel-session')).toBe('none');
      }
      expect((await session('null')).status).toBe(404);
      expect(upstream.requests.map((r) => r.body).every((b) => !('conversation_id' in b))).toBe(
        true,
      );
    });

    it('drops every null optional field, at every level, before the upstream', async () => {
      const core = [
        'temperature',
        'top_p',
        'max_tokens',
        'stop',
        'tool_choice',
        'stream',
        'stream_options',
        'tier',
      ];
      const res = await post(chat, {
        model: MODEL,
        ...Object.fromEntries([...core, ...OPTIONAL_PARAMS].map((k) => [k, null])),
        messages: [
          { role: 'system', content: 'be brief', name: null },
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: null } }],
            name: null,
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [call],
            refusal: null,
            audio: null,
            function_call: null,
          },
          { role: 'tool', tool_call_id: 'call_1', content: '42' },
        ],
        tools: [
          {
            type: 'function',
            function: { name: 'f', description: null, parameters: null, strict: null },
          },
        ],
      });
      expect(res.status).toBe(200);
      expect(upstream.last.body).toEqual({
        model: 'gpt-x',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: 'call_1', content: '42' },
        ],
        tools: [{ type: 'function', function: { name: 'f' } }],
      });
    });

    it('keeps nulls inside a tool schema: they are the client’s JSON, not absent fields', async () => {
      const parameters = {
        type: 'object',
        properties: { x: { type: ['string', 'null'], default: null } },
      };
      const res = await post(chat, {
        model: MODEL,
        messages: [user],
        tools: [{ type: 'function', function: { name: 'f', parameters } }],
      });
      expect(res.status).toBe(200);
      expect((upstream.last.body.tools as Array<{ function: object }>)[0].function).toEqual({
        name: 'f',
        parameters,
      });
    });
  });

  describe('null where a value is required is a 400 naming the field', () => {
    it.each([
      ['messages', { model: MODEL, messages: null }, 'messages'],
      ['a message', { model: MODEL, messages: [user, null] }, 'messages'],
      ['a role', { model: MODEL, messages: [{ role: null, content: 'x' }] }, 'messages[0].role'],
      [
        'a user content',
        { model: MODEL, messages: [{ role: 'user', content: null }] },
        'messages[0].content',
      ],
      ['a tool', { model: MODEL, messages: [user], tools: [null] }, 'tools'],
      [
        'a tool function',
        { model: MODEL, messages: [user], tools: [{ type: 'function', function: null }] },
        'tools[0].function',
      ],
      [
        'a tool call id',
        {
          model: MODEL,
          messages: [{ role: 'assistant', content: null, tool_calls: [{ ...call, id: null }] }],
        },
        'messages[0].tool_calls[0].id',
      ],
    ])('null %s', async (_, body, param) => {
      const id = conversation();
      const res = await post(chat, { ...body, conversation_id: id });
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'invalid_value', 'invalid_request_error');
      expect((res.body as { error: { param: string } }).error.param).toBe(param);
      expect(upstream.requests).toHaveLength(0);
      // Validated completely before the store: no binding was created.
      expect((await session(id)).status).toBe(404);
    });
  });

  describe("OpenAI's optional fields", () => {
    it('reach an OpenAI upstream exactly as sent, and conversation_id and tier never do', async () => {
      const id = conversation();
      const res = await post(chat, {
        model: MODEL,
        conversation_id: id,
        tier: 'moderate',
        messages: [{ role: 'developer', content: 'rules' }, user],
        ...everyOptionalParam,
      });
      expect(res.status).toBe(200);
      expect(upstream.last.body).toEqual({
        model: 'gpt-x',
        messages: [{ role: 'developer', content: 'rules' }, user],
        ...everyOptionalParam,
      });
    });

    it('forward the assistant fields of OpenAI’s history: refusal, audio, legacy function calls', async () => {
      const messages = [
        user,
        { role: 'assistant', content: null, refusal: 'I cannot.' },
        { role: 'assistant', audio: { id: 'audio_1' } },
        { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
        { role: 'function', name: 'f', content: '{"ok":true}' },
        user,
      ];
      const res = await post(chat, { model: MODEL, messages });
      expect(res.status).toBe(200);
      expect(upstream.last.body.messages).toEqual([
        ...messages.slice(0, 2),
        { role: 'assistant', content: null, audio: { id: 'audio_1' } },
        ...messages.slice(3),
      ]);
    });

    it('reject a field outside OpenAI’s API as unknown_field, creating no session', async () => {
      const id = conversation();
      const res = await post(chat, {
        model: MODEL,
        conversation_id: id,
        messages: [user],
        cache_ttl: 5,
      });
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'unknown_field');
      expect((await session(id)).status).toBe(404);
      expect(upstream.requests).toHaveLength(0);
    });
  });
});
