import type { CompletedRequest } from '../common/http/completed-request';
import { MAX_MODEL_LABELS, MetricsService } from './metrics.service';

const chat: CompletedRequest = {
  requestId: 'r',
  method: 'POST',
  route: '/native/v1/chat/completions',
  status: 200,
  provider: 'openai',
  model: 'gpt-4o-mini',
  session: 'created',
  mode: 'json',
  durationMs: 50,
  upstreamMs: 48,
  gatewayMs: 2,
};

describe('MetricsService', () => {
  let metrics: MetricsService;
  beforeEach(() => {
    metrics = new MetricsService();
  });
  afterEach(() => metrics.onModuleDestroy());

  it('records a chat request in the request, session, upstream and overhead families', async () => {
    metrics.observeRequest(chat);
    const text = await metrics.render();
    expect(text).toContain(
      'sentinel_http_requests_total{method="POST",route="/native/v1/chat/completions",status="200",provider="openai",model="gpt-4o-mini"} 1',
    );
    expect(text).toContain('sentinel_session_outcomes_total{outcome="created"} 1');
    expect(text).toContain(
      'sentinel_upstream_duration_seconds_count{provider="openai",mode="json"} 1',
    );
    expect(text).toContain('sentinel_gateway_overhead_seconds_sum{mode="json"} 0.002');
  });

  it('labels unrouted requests with provider and model "none"', async () => {
    metrics.observeRequest({
      requestId: 'r',
      method: 'GET',
      route: 'unmatched',
      status: 404,
      durationMs: 1,
    });
    expect(await metrics.render()).toContain(
      'sentinel_http_requests_total{method="GET",route="unmatched",status="404",provider="none",model="none"} 1',
    );
  });

  it('caps the distinct model labels', async () => {
    for (let i = 0; i <= MAX_MODEL_LABELS; i++) {
      metrics.observeRequest({ ...chat, model: `model-${i}` });
    }
    const text = await metrics.render();
    expect(text).toContain(`model="model-${MAX_MODEL_LABELS - 1}"`);
    expect(text).not.toContain(`model="model-${MAX_MODEL_LABELS}"`);
    expect(text).toContain('model="other"} 1');
  });

  it('counts upstream errors by kind and streamed time to first byte', async () => {
    metrics.observeRequest({ ...chat, status: 502, upstreamError: 'provider_error' });
    metrics.observeRequest({ ...chat, mode: 'stream', ttfbMs: 120 });
    const text = await metrics.render();
    expect(text).toContain(
      'sentinel_upstream_errors_total{provider="openai",kind="provider_error"} 1',
    );
    expect(text).toContain('sentinel_stream_time_to_first_byte_seconds_count{provider="openai"} 1');
  });

  it('keeps one registry per instance, with the default process metrics in it', async () => {
    const other = new MetricsService();
    try {
      metrics.observeRequest(chat);
      expect(await other.render()).not.toContain('gpt-4o-mini');
      expect(await other.render()).toContain('process_cpu_user_seconds_total');
    } finally {
      other.onModuleDestroy();
    }
  });
});
