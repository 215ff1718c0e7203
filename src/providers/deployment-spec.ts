/**
 * One deployment as an adapter needs it to build a model: the adapter kind, the provider's
 * own model name, where and with which key to reach it, and the timeouts of its pool. Built
 * by routing (from the routing file, or the implicit deployments of the environment); an
 * adapter reads nothing else.
 */
export interface DeploymentSpec {
  /** Stable slug that keys all routing state (`oai-mini-us`). */
  id: string;
  /** The adapter kind: `openai`, `anthropic`, `echo`. */
  provider: string;
  /** The provider's own model name, exactly what the upstream receives. */
  model: string;
  /** Upstream base URL; adapters that need one have a default. */
  baseUrl?: string;
  /** The key sent upstream; never logged. */
  apiKey?: string;
  timeouts: UpstreamTimeouts;
  /** Connections of this deployment's keep-alive pool. */
  maxConnections: number;
}

export interface UpstreamTimeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  headersMs: number;
  /** Longest silence while the body streams. */
  idleMs: number;
}
