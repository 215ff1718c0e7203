import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { CacheBackend } from '../cache/cache-backend.interface';
import type { CompletedRequest } from '../common/http/completed-request';
import { BoundedLabel } from './bounded-label';
import { createGatewayMetrics, GatewayMetrics } from './gateway-metrics';
import { InstrumentedCacheBackend } from './instrumented-cache.backend';

/** Label value for requests that were not routed to a provider. */
const NONE = 'none';
/** Distinct `model` label values kept; further models are counted as `other`. */
export const MAX_MODEL_LABELS = 200;

const SESSION_OUTCOMES = ['created', 'reused', 'none', 'unavailable', 'forbidden'] as const;
type Mode = 'json' | 'stream';

interface ProviderSeries {
  upstream: Record<Mode, Histogram.Internal<'provider' | 'mode'>>;
  timeToFirstByte: Histogram.Internal<'provider'>;
}

/**
 * The app's Prometheus registry: one per app instance (tests run several apps in one process,
 * so neither prom-client's global registry nor module-level metrics are used). Observation is
 * on the hot path: fixed label sets are bound once, and nothing is looked up by name.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly metrics: GatewayMetrics;
  private readonly models = new BoundedLabel(MAX_MODEL_LABELS);
  private readonly overhead: Record<Mode, Histogram.Internal<'mode'>>;
  private readonly sessionLabels = new Map<string, { outcome: string }>(
    SESSION_OUTCOMES.map((outcome) => [outcome, { outcome }]),
  );
  private readonly byProvider = new Map<string, ProviderSeries>();
  /**
   * Bound children of the per-request counters, by their label values joined: prom-client would
   * otherwise hash a label object (sorting its keys) on every increment. Bounded like the series
   * themselves (routes, statuses, providers, MAX_MODEL_LABELS models; deployments × outcomes).
   */
  private readonly requestSeries = new Map<string, Counter.Internal>();
  private readonly successSeries = new Map<string, Counter.Internal>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.metrics = createGatewayMetrics(this.registry);
    this.overhead = {
      json: this.metrics.overhead.labels('json'),
      stream: this.metrics.overhead.labels('stream'),
    };
    // Present from the first scrape, so rate() and alerts see zeros rather than gaps.
    for (const labels of this.sessionLabels.values()) this.metrics.sessionOutcomes.inc(labels, 0);
  }

  /** One upstream call of a chat request ended (`success` or the failure class). */
  attempt(deployment: string, outcome: string, retry: boolean): void {
    if (outcome === 'success') {
      let series = this.successSeries.get(deployment);
      if (series === undefined) {
        series = this.metrics.attempts.labels({ deployment, outcome });
        this.successSeries.set(deployment, series);
      }
      series.inc();
    } else this.metrics.attempts.inc({ deployment, outcome });
    if (retry) this.metrics.fallbacks.inc({ deployment });
  }

  migration(reason: string): void {
    this.metrics.migrations.inc({ reason });
  }

  cooldown(deployment: string, reason: string): void {
    this.metrics.cooldowns.inc({ deployment, reason });
  }

  /** The gauge writeSseStream raises and lowers around each stream. */
  get streamsInFlight(): { inc(): void; dec(): void } {
    return this.metrics.streamsInFlight;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Wraps a session store so its operations are timed and its failures counted. */
  instrumentCache(backend: CacheBackend): CacheBackend {
    return new InstrumentedCacheBackend(
      backend,
      this.metrics.cacheDuration,
      this.metrics.cacheErrors,
    );
  }

  /** A RequestObserver (see observeRequestsMiddleware). */
  readonly observeRequest = (request: CompletedRequest): void => {
    const provider = request.provider ?? NONE;
    const model = request.model === undefined ? NONE : this.models.of(request.model);
    const key = `${request.method}\u0000${request.route}\u0000${request.status}\u0000${provider}\u0000${model}`;
    let counter = this.requestSeries.get(key);
    if (counter === undefined) {
      counter = this.metrics.requests.labels({
        method: request.method,
        route: request.route,
        status: String(request.status),
        provider,
        model,
      });
      this.requestSeries.set(key, counter);
    }
    counter.inc();
    if (request.session !== undefined) {
      const labels = this.sessionLabels.get(request.session);
      if (labels !== undefined) this.metrics.sessionOutcomes.inc(labels);
    }
    if (request.upstreamError !== undefined) {
      this.metrics.upstreamErrors.inc({ provider, kind: request.upstreamError });
    }
    if (request.upstreamMs === undefined && request.ttfbMs === undefined) return;
    const series = this.seriesOf(provider);
    const mode = request.mode ?? 'json';
    if (request.upstreamMs !== undefined && request.gatewayMs !== undefined) {
      series.upstream[mode].observe(request.upstreamMs / 1000);
      this.overhead[mode].observe(Math.max(0, request.gatewayMs) / 1000);
    }
    if (request.ttfbMs !== undefined) series.timeToFirstByte.observe(request.ttfbMs / 1000);
  };

  onModuleDestroy(): void {
    this.registry.clear();
  }

  private seriesOf(provider: string): ProviderSeries {
    let series = this.byProvider.get(provider);
    if (series === undefined) {
      series = {
        upstream: {
          json: this.metrics.upstream.labels(provider, 'json'),
          stream: this.metrics.upstream.labels(provider, 'stream'),
        },
        timeToFirstByte: this.metrics.timeToFirstByte.labels(provider),
      };
      this.byProvider.set(provider, series);
    }
    return series;
  }
}
