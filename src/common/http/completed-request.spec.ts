import type { Request, Response } from 'express';
import { describeCompletedRequest } from './completed-request';

function exchange(
  headers: Record<string, string> = {},
  options: { route?: string; finished?: boolean; status?: number; url?: string } = {},
): { req: Request; res: Response } {
  const req = {
    requestId: 'req-1',
    method: 'POST',
    route: options.route === undefined ? undefined : { path: options.route },
    originalUrl: options.url ?? '/native/v1/chat/completions',
    caller: { externalId: 'alice', strategy: 'api_key' },
  } as unknown as Request;
  const res = {
    writableFinished: options.finished ?? true,
    statusCode: options.status ?? 200,
    getHeader: (name: string): string | undefined => headers[name],
  } as unknown as Response;
  return { req, res };
}

const ROUTED = {};
const decision = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  session: 'reused' as const,
  deployment: 'openai',
  attempts: 1,
};

describe('describeCompletedRequest', () => {
  it('splits a JSON answer into upstream time and the gateway’s own time', () => {
    const { req, res } = exchange(ROUTED, { route: '/native/v1/chat/completions' });
    const facts = {
      startedAt: 0,
      decision,
      mode: 'json' as const,
      upstreamStartedAt: 2,
      upstreamRespondedAt: 42,
    };
    expect(describeCompletedRequest(req, res, facts, 45)).toMatchObject({
      route: '/native/v1/chat/completions',
      status: 200,
      externalId: 'alice',
      provider: 'openai',
      model: 'gpt-4o-mini',
      session: 'reused',
      durationMs: 45,
      upstreamMs: 40,
      gatewayMs: 5,
    });
  });

  it('measures a stream to its first chunk and first byte', () => {
    const { req, res } = exchange(ROUTED, { route: '/native/v1/chat/completions' });
    const facts = {
      startedAt: 0,
      decision,
      mode: 'stream' as const,
      upstreamStartedAt: 2,
      upstreamRespondedAt: 10,
      firstChunkAt: 30,
      firstByteAt: 31,
    };
    expect(describeCompletedRequest(req, res, facts, 500)).toMatchObject({
      upstreamMs: 28,
      gatewayMs: 3,
      ttfbMs: 31,
      durationMs: 500,
    });
  });

  it("calls a 403 conversation_forbidden a 'forbidden' session outcome", () => {
    const { req, res } = exchange({}, { route: '/native/v1/chat/completions', status: 403 });
    const facts = { startedAt: 0, errorCode: 'conversation_forbidden' as const };
    expect(describeCompletedRequest(req, res, facts, 1).session).toBe('forbidden');
  });

  it('labels unmatched requests with a fixed route and keeps their path, without the query', () => {
    const { req, res } = exchange({}, { status: 404, url: '/nope/x?key=secret' });
    const done = describeCompletedRequest(req, res, { startedAt: 0 }, 1);
    expect(done).toMatchObject({ route: 'unmatched', path: '/nope/x', status: 404 });
    expect(done.provider).toBeUndefined();
  });

  it('reports 499 when the client left before the response was complete', () => {
    const { req, res } = exchange(ROUTED, { route: '/x', finished: false });
    expect(describeCompletedRequest(req, res, { startedAt: 0 }, 1).status).toBe(499);
  });
});
