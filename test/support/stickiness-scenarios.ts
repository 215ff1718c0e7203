import { randomUUID } from 'node:crypto';
import { auth, BOB } from './create-test-app';
import { expectEnvelope, JsonResponse, post } from './http';
import type { RecordingUpstream } from './recording-upstream';

/**
 * The stickiness rules of README "Conversation stickiness" as one suite, run against any store: the in-memory backend
 * (e2e) and a real Redis (integration). `gateways` are base URLs of one or more app instances
 * sharing that store; requests alternate between them. The upstream records which model it
 * was really asked for.
 */
export function describeStickiness(
  name: string,
  setup: () => Promise<{ gateways: string[]; upstream: RecordingUpstream }>,
): void {
  describe(`stickiness: ${name}`, () => {
    let gateways: string[];
    let upstream: RecordingUpstream;
    let turn = 0;
    const send = (body: Record<string, unknown>, key?: string): Promise<JsonResponse> => {
      const base = gateways[turn++ % gateways.length];
      return post(`${base}/native/v1/chat/completions`, body, auth(key));
    };
    const say = (text: string): Array<{ role: string; content: string }> => [
      { role: 'user', content: text },
    ];
    const upstreamModels = (): unknown[] => upstream.requests.map((r) => r.body.model);

    beforeAll(async () => {
      ({ gateways, upstream } = await setup());
    });
    beforeEach(() => upstream.reset());

    it('creates a session on the first request and reuses it after', async () => {
      const id = randomUUID();
      const first = await send({
        model: 'openai/model-a',
        conversation_id: id,
        messages: say('1'),
      });
      const second = await send({
        model: 'openai/model-a',
        conversation_id: id,
        messages: say('2'),
      });
      expect(first.status).toBe(200);
      expect(first.headers.get('x-sentinel-session')).toBe('created');
      expect(second.headers.get('x-sentinel-session')).toBe('reused');
      expect(upstreamModels()).toEqual(['model-a', 'model-a']);
    });

    it('serves the session model upstream even when the request names another', async () => {
      const id = randomUUID();
      await send({ model: 'openai/model-a', conversation_id: id, messages: say('1') });
      const switched = await send({
        model: 'openai/model-b',
        conversation_id: id,
        messages: say('2'),
      });
      expect(switched.status).toBe(200);
      expect(switched.headers.get('x-sentinel-model')).toBe('model-a');
      expect(switched.body.model).toBe('model-a');
      expect(upstreamModels()).toEqual(['model-a', 'model-a']);
    });

    it('serves model-less follow-ups with the session model', async () => {
      const id = randomUUID();
      await send({ model: 'openai/model-a', conversation_id: id, messages: say('1') });
      const followUp = await send({ conversation_id: id, messages: say('2') });
      expect(followUp.status).toBe(200);
      expect(followUp.headers.get('x-sentinel-session')).toBe('reused');
      expect(upstreamModels()).toEqual(['model-a', 'model-a']);
    });

    it('requires a model to start a conversation', async () => {
      const res = await send({ conversation_id: randomUUID(), messages: say('hi') });
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'model_required');
      expect(upstream.requests).toHaveLength(0);
    });

    it('does not bind a conversation to an unknown provider', async () => {
      const id = randomUUID();
      const bad = await send({ model: 'nope/x', conversation_id: id, messages: say('1') });
      expect(bad.status).toBe(400);
      const good = await send({ model: 'openai/model-a', conversation_id: id, messages: say('2') });
      expect(good.headers.get('x-sentinel-session')).toBe('created');
    });

    it('keeps stateless requests independent of any session', async () => {
      const id = randomUUID();
      await send({ model: 'openai/model-a', conversation_id: id, messages: say('1') });
      const stateless = await send({ model: 'openai/model-b', messages: say('2') });
      expect(stateless.headers.get('x-sentinel-session')).toBe('none');
      expect(stateless.headers.get('x-sentinel-model')).toBe('model-b');
      expect(upstreamModels()).toEqual(['model-a', 'model-b']);
    });

    it('keeps conversations apart', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await send({ model: 'openai/model-a', conversation_id: a, messages: say('1') });
      await send({ model: 'openai/model-b', conversation_id: b, messages: say('1') });
      await send({ conversation_id: a, messages: say('2') });
      await send({ conversation_id: b, messages: say('2') });
      expect(upstreamModels()).toEqual(['model-a', 'model-b', 'model-a', 'model-b']);
    });

    it('agrees on one model when 50 first requests race', async () => {
      const id = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          send({ model: `openai/model-${i}`, conversation_id: id, messages: say(`${i}`) }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
      const outcomes = results.map((r) => r.headers.get('x-sentinel-session'));
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'reused')).toHaveLength(49);
      const served = new Set(upstreamModels());
      expect(served.size).toBe(1);
      const winner = results.find((r) => r.headers.get('x-sentinel-session') === 'created')!;
      expect([...served][0]).toBe(winner.headers.get('x-sentinel-model'));
      expect(new Set(results.map((r) => r.body.model))).toEqual(served);
    });

    it("refuses another caller's conversation without touching it", async () => {
      const id = randomUUID();
      await send({ model: 'openai/model-a', conversation_id: id, messages: say('1') });
      const intruder = await send(
        { model: 'openai/model-b', conversation_id: id, messages: say('mine now') },
        BOB,
      );
      expect(intruder.status).toBe(403);
      expectEnvelope(intruder.body, 'conversation_forbidden', 'permission_error');
      expect(JSON.stringify(intruder.body)).not.toContain('model-a');
      const owner = await send({ conversation_id: id, messages: say('2') });
      expect(owner.headers.get('x-sentinel-model')).toBe('model-a');
      expect(upstreamModels()).toEqual(['model-a', 'model-a']);
    });

    it('keeps streams on the session model too', async () => {
      const id = randomUUID();
      await send({ model: 'openai/model-a', conversation_id: id, messages: say('1') });
      const base = gateways[0];
      const res = await fetch(`${base}/native/v1/chat/completions`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/model-z',
          conversation_id: id,
          stream: true,
          messages: say('2'),
        }),
      });
      expect(res.headers.get('x-sentinel-model')).toBe('model-a');
      await res.text();
      expect(upstreamModels()).toEqual(['model-a', 'model-a']);
    });
  });
}
