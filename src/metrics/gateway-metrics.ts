import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Sub-millisecond to a quarter second: the gateway's own share of a request. */
const OVERHEAD_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
];
/** Model latencies: tens of milliseconds to minutes. */
const UPSTREAM_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Session store round trips: a loopback Redis answers in well under a millisecond. */
const CACHE_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

/** Every Sentinel metric family, registered in one registry (one per app instance). */
export interface GatewayMetrics {
  requests: Counter<'method' | 'route' | 'status' | 'provider' | 'model'>;
  overhead: Histogram<'mode'>;
  upstream: Histogram<'provider' | 'mode'>;
  timeToFirstByte: Histogram<'provider'>;
  sessionOutcomes: Counter<'outcome'>;
  upstreamErrors: Counter<'provider' | 'kind'>;
  streamsInFlight: Gauge;
  cacheDuration: Histogram<'backend' | 'operation'>;
  cacheErrors: Counter<'backend' | 'operation'>;
  attempts: Counter<'deployment' | 'outcome'>;
  fallbacks: Counter<'deployment'>;
  migrations: Counter<'reason'>;
  cooldowns: Counter<'deployment' | 'reason'>;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'sentinel_http_requests_total',
      help: 'HTTP requests by method, route pattern, status, provider and model (status 499: the client left first).',
      labelNames: ['method', 'route', 'status', 'provider', 'model'],
      registers,
    }),
    overhead: new Histogram({
      name: 'sentinel_gateway_overhead_seconds',
      help: "Chat requests: the gateway's own time, excluding the upstream (JSON: the whole request; stream: until the first event).",
      labelNames: ['mode'],
      buckets: OVERHEAD_BUCKETS,
      registers,
    }),
    upstream: new Histogram({
      name: 'sentinel_upstream_duration_seconds',
      help: 'Time spent waiting on the provider (JSON: its whole answer; stream: until its first chunk).',
      labelNames: ['provider', 'mode'],
      buckets: UPSTREAM_BUCKETS,
      registers,
    }),
    timeToFirstByte: new Histogram({
      name: 'sentinel_stream_time_to_first_byte_seconds',
      help: 'Streamed chat requests: from request arrival to the first event written to the client.',
      labelNames: ['provider'],
      buckets: UPSTREAM_BUCKETS,
      registers,
    }),
    sessionOutcomes: new Counter({
      name: 'sentinel_session_outcomes_total',
      help: 'Chat requests by conversation binding outcome: created, reused, none, unavailable, forbidden.',
      labelNames: ['outcome'],
      registers,
    }),
    upstreamErrors: new Counter({
      name: 'sentinel_upstream_errors_total',
      help: 'Provider failures by kind (the error code: provider_error, provider_rejected_request, upstream_timeout, upstream_rate_limited...), before or during a stream.',
      labelNames: ['provider', 'kind'],
      registers,
    }),
    streamsInFlight: new Gauge({
      name: 'sentinel_streams_in_flight',
      help: 'Chat streams being written to clients right now.',
      registers,
    }),
    cacheDuration: new Histogram({
      name: 'sentinel_cache_operation_duration_seconds',
      help: 'Session store operations on the request path, by backend and operation (failures included).',
      labelNames: ['backend', 'operation'],
      buckets: CACHE_BUCKETS,
      registers,
    }),
    cacheErrors: new Counter({
      name: 'sentinel_cache_errors_total',
      help: 'Session store operations that failed (store down, timed out or refusing), by backend and operation.',
      labelNames: ['backend', 'operation'],
      registers,
    }),
    attempts: new Counter({
      name: 'sentinel_upstream_attempts_total',
      help: 'Upstream calls by deployment and outcome: success, or the failure class (rate_limit, server, timeout, terminal, client, context_window).',
      labelNames: ['deployment', 'outcome'],
      registers,
    }),
    fallbacks: new Counter({
      name: 'sentinel_routing_fallbacks_total',
      help: 'Attempts made after an earlier attempt of the same request failed, by the deployment tried.',
      labelNames: ['deployment'],
      registers,
    }),
    migrations: new Counter({
      name: 'sentinel_session_migrations_total',
      help: 'Conversations moved to another deployment, by reason (cooldown, deployment_removed, tier_upgrade, failed:<class>).',
      labelNames: ['reason'],
      registers,
    }),
    cooldowns: new Counter({
      name: 'sentinel_deployment_cooldowns_total',
      help: 'Cooldowns this instance opened or extended for a deployment, by the failure class that caused them.',
      labelNames: ['deployment', 'reason'],
      registers,
    }),
  };
}
