import { Logger } from '@nestjs/common';
import {
  CacheBackend,
  CacheEntry,
  FieldCondition,
  SetIfAbsentResult,
} from './cache-backend.interface';
import { CacheUnavailableError } from './cache-unavailable.error';
import { checkTtlSeconds } from './check-ttl-seconds';
import { pingEveryPrimary, RedisConnection } from '../redis/create-redis-connection';
import { RedisCommandTimeoutError, withinCommandTimeout } from '../redis/within-command-timeout';
import { fulfilsWithin } from './fulfils-within';
import { defineSentinelScripts, ScriptedRedis } from './redis-scripts';

export interface RedisCacheBackendOptions {
  /** Whether shutdown() closes the client: true only for a client the caller created for us. */
  ownsClient: boolean;
  /** How long a command may go unanswered before it counts as a store failure. */
  commandTimeoutMs: number;
}

const ERROR_LOG_INTERVAL_MS = 5_000;
/** Bounds the wait for the socket to close (QUIT itself is bounded by the command timeout). */
const CLOSE_TIMEOUT_MS = 1_000;

/**
 * CacheBackend over one ioredis connection (a standalone or sentinel-managed `Redis`, or a
 * `Cluster`: every operation touches one key). Each operation is one round trip (scripts are atomic);
 * every store failure rejects with CacheUnavailableError, whose message is safe to show.
 */
export class RedisCacheBackend implements CacheBackend {
  readonly kind = 'redis';
  private readonly logger = new Logger(RedisCacheBackend.name);
  private readonly redis: ScriptedRedis;
  private lastErrorLogAt = Number.NEGATIVE_INFINITY;
  private unloggedErrors = 0;
  private failing = false;
  private lastTimeoutLogAt = Number.NEGATIVE_INFINITY;
  private unloggedTimeouts = 0;
  private timingOut = false;
  private closing: Promise<void> | undefined;

  constructor(
    client: RedisConnection,
    private readonly options: RedisCacheBackendOptions,
  ) {
    this.redis = defineSentinelScripts(client);
    client.on('error', this.onError);
    // A cluster reports a node's connection errors as 'node error' (error, node address).
    client.on('node error', this.onError);
    client.on('ready', this.onReady);
  }

  async get(key: string): Promise<CacheEntry | null> {
    const reply = await this.run('get', () => this.redis.sentinelGetWithTtl(key));
    return reply === null ? null : { value: reply[0], ttlMs: reply[1] };
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    checkTtlSeconds(ttlSeconds);
    await this.run('set', () => this.redis.set(key, value, 'EX', ttlSeconds));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<SetIfAbsentResult> {
    checkTtlSeconds(ttlSeconds);
    // SET NX GET (Redis >= 7.0) answers with the value it found, so a lost race (or our own
    // earlier write that timed out yet landed) reports what the store really holds.
    const previous = await this.run('setIfAbsent', () =>
      this.redis.set(key, value, 'EX', ttlSeconds, 'NX', 'GET'),
    );
    return previous === null ? { stored: true, value } : { stored: false, value: previous };
  }

  async getAndRefresh(
    key: string,
    ttlSeconds: number,
    condition?: FieldCondition,
  ): Promise<string | null> {
    checkTtlSeconds(ttlSeconds);
    if (condition === undefined) {
      return this.run('getAndRefresh', () => this.redis.getex(key, 'EX', ttlSeconds));
    }
    return this.run('getAndRefresh', () =>
      this.redis.sentinelRefreshIf(key, condition.field, condition.equals, ttlSeconds),
    );
  }

  async delete(key: string, condition?: FieldCondition): Promise<boolean> {
    const deleted = await this.run('delete', () =>
      condition === undefined
        ? this.redis.del(key)
        : this.redis.sentinelDeleteIf(key, condition.field, condition.equals),
    );
    return deleted > 0;
  }

  async ping(): Promise<void> {
    await this.run('ping', () => pingEveryPrimary(this.redis));
  }

  shutdown(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  private async close(): Promise<void> {
    if (!this.options.ownsClient) {
      this.redis.off('error', this.onError);
      this.redis.off('node error', this.onError);
      this.redis.off('ready', this.onReady);
      return;
    }
    // Our 'error' listener stays: a closing socket may still emit, and ioredis would print
    // "Unhandled error event" for an error without one.
    const status = this.redis.status;
    const hasSocket = status === 'connecting' || status === 'connect' || status === 'ready';
    const ended = new Promise<void>((resolve) => this.redis.once('end', () => resolve()));
    if (status === 'ready') await fulfilsWithin(this.redis.quit(), this.options.commandTimeoutMs);
    // Then drop whatever is left, also after a QUIT: in sentinel mode only disconnect() releases the connections that
    // watch the sentinels for a failover (they would otherwise redial them forever).
    this.redis.disconnect();
    if (hasSocket) await fulfilsWithin(ended, CLOSE_TIMEOUT_MS);
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await withinCommandTimeout(command(), this.options.commandTimeoutMs);
    } catch (error) {
      if (error instanceof RedisCommandTimeoutError) this.onTimeout(operation);
      throw new CacheUnavailableError(`Session store unavailable (${operation} failed)`, {
        cause: error,
      });
    }
    if (this.timingOut) {
      this.timingOut = false;
      this.logger.log('Redis answers in time again');
    }
    return result;
  }

  /**
   * A hung Redis keeps its connection open and raises no connection error: command timeouts
   * are the only sign of it, reported at most once per interval.
   */
  private onTimeout(operation: string): void {
    this.timingOut = true;
    const now = Date.now();
    if (now - this.lastTimeoutLogAt < ERROR_LOG_INTERVAL_MS) {
      this.unloggedTimeouts++;
      return;
    }
    const more = this.unloggedTimeouts > 0 ? ` (+${this.unloggedTimeouts} since last report)` : '';
    this.logger.warn(`Redis command timed out (${operation})${more}`);
    this.lastTimeoutLogAt = now;
    this.unloggedTimeouts = 0;
  }

  /** At most one line per interval, naming only the error code: messages carry host:port. */
  private readonly onError = (error: Error): void => {
    this.failing = true;
    const now = Date.now();
    if (now - this.lastErrorLogAt < ERROR_LOG_INTERVAL_MS) {
      this.unloggedErrors++;
      return;
    }
    const more = this.unloggedErrors > 0 ? ` (+${this.unloggedErrors} since last report)` : '';
    this.logger.error(`Redis connection error: ${errorCode(error)}${more}`);
    this.lastErrorLogAt = now;
    this.unloggedErrors = 0;
  };

  private readonly onReady = (): void => {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log('Redis connection ready again');
  };
}

function errorCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string') return code;
  return /^[A-Z][A-Z_]+(?=\s|$)/.exec(error.message)?.[0] ?? error.name;
}
