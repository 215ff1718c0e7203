import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0' || v === '') return false;
  return value;
};

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const HTTP_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };
const REDIS_URL = { require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true };

export const CACHE_BACKENDS = ['memory', 'redis'] as const;
export type CacheBackendKind = (typeof CACHE_BACKENDS)[number];
export const REDIS_MODES = ['standalone', 'cluster', 'sentinel'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];
export const FAILURE_MODES = ['open', 'closed'] as const;
export type SessionStoreFailureMode = (typeof FAILURE_MODES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable Sentinel reads, with its default. `.env.example` documents each
 * one; `validateEnv` turns raw strings into this typed object or fails with every problem.
 */
export class EnvironmentVariables {
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @Transform(trimmed) @IsString() HOST = '0.0.0.0';
  @IsIn(['development', 'production', 'test']) @IsOptional() NODE_ENV?: string;
  @IsIn(LOG_LEVELS) LOG_LEVEL: LogLevel = 'info';
  @Type(() => Number) @IsInt() @Min(1024) @Max(104_857_600) MAX_BODY_BYTES = 5_242_880;
  @Type(() => Number) @IsInt() @Min(0) @Max(600_000) SHUTDOWN_GRACE_MS = 25_000;
  @Transform(trimmed) @IsOptional() @IsString() CORS_ORIGINS?: string;
  /** Above a load balancer's idle timeout (AWS ALB: 60 s), so the LB always closes first. */
  @Type(() => Number) @IsInt() @Min(1_000) @Max(3_600_000) HTTP_KEEP_ALIVE_TIMEOUT_MS = 65_000;
  /** Must exceed the keep-alive timeout (checked in validateEnv). */
  @Type(() => Number) @IsInt() @Min(1_000) @Max(3_600_000) HTTP_HEADERS_TIMEOUT_MS = 66_000;
  /** Express `trust proxy`: false, true, a hop count, or comma-separated addresses/subnets. */
  @Transform(trimmed) @IsOptional() @IsString() TRUST_PROXY?: string;

  @IsIn(CACHE_BACKENDS) CACHE_BACKEND: CacheBackendKind = 'memory';
  @IsIn(REDIS_MODES) REDIS_MODE: RedisMode = 'standalone';
  // Ignored (so not checked) outside standalone mode.
  @ValidateIf((env: EnvironmentVariables) => env.REDIS_MODE === 'standalone')
  @IsUrl(REDIS_URL)
  REDIS_URL = 'redis://127.0.0.1:6379';
  @Transform(trimmed) @IsOptional() @IsString() REDIS_CLUSTER_NODES?: string;
  @Transform(trimmed) @IsOptional() @IsString() REDIS_SENTINELS?: string;
  @Transform(trimmed) @IsOptional() @Matches(/^[\x21-\x7e]{1,128}$/) REDIS_SENTINEL_NAME?: string;
  @Transform(trimmed) @IsOptional() @IsString() REDIS_SENTINEL_PASSWORD?: string;
  @Transform(trimmed) @IsOptional() @Matches(/^[\x21-\x7e]{1,128}$/) REDIS_USERNAME?: string;
  @Transform(trimmed) @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @Transform(toBoolean) @IsBoolean() REDIS_TLS = false;
  @Transform(trimmed) @IsOptional() @Matches(/^[\x21-\x7e]{1,64}$/) REDIS_KEY_PREFIX?: string;
  @Type(() => Number) @IsInt() @Min(10) @Max(60_000) REDIS_COMMAND_TIMEOUT_MS = 250;
  @Type(() => Number) @IsInt() @Min(100) @Max(60_000) REDIS_CONNECT_TIMEOUT_MS = 1_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(16_777_216) MEMORY_CACHE_MAX_ENTRIES = 1_000_000;

  @Type(() => Number) @IsInt() @Min(1) @Max(31_536_000) SESSION_TTL_SECONDS = 86_400;
  @IsIn(FAILURE_MODES) SESSION_STORE_FAILURE_MODE: SessionStoreFailureMode = 'open';
  @Type(() => Number) @IsInt() @Min(1) @Max(3_600) SESSION_STORE_RETRY_AFTER_SECONDS = 1;

  @IsUrl(HTTP_URL) OPENAI_BASE_URL = 'https://api.openai.com/v1';
  @Transform(trimmed) @IsOptional() @IsString() OPENAI_API_KEY?: string;
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/) DEFAULT_PROVIDER = 'openai';
  @Transform(toBoolean) @IsBoolean() ECHO_PROVIDER = false;
  @Type(() => Number) @IsInt() @Min(100) @Max(600_000) UPSTREAM_CONNECT_TIMEOUT_MS = 5_000;
  @Type(() => Number) @IsInt() @Min(100) @Max(3_600_000) UPSTREAM_TIMEOUT_MS = 120_000;
  @Type(() => Number) @IsInt() @Min(100) @Max(3_600_000) UPSTREAM_IDLE_TIMEOUT_MS = 60_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000) UPSTREAM_MAX_CONNECTIONS = 256;
  @Type(() => Number) @IsInt() @Min(100) @Max(600_000) SSE_KEEPALIVE_MS = 15_000;

  @Transform(trimmed) @IsOptional() @IsString() API_KEYS?: string;
  @Transform(toBoolean) @IsBoolean() DEBUG_ENDPOINTS = false;
  @ValidateIf((env: EnvironmentVariables) => env.DEBUG_ENDPOINTS || env.ADMIN_API_KEY !== undefined)
  @Transform(trimmed)
  @Matches(/^[\x21-\x7e]{16,256}$/, {
    message:
      'ADMIN_API_KEY must be 16..256 printable characters (required when DEBUG_ENDPOINTS=true)',
  })
  ADMIN_API_KEY?: string;

  @Transform(trimmed)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,256}$/, {
    message: 'DOCS_API_KEY must be 16..256 printable characters',
  })
  DOCS_API_KEY?: string;
  @Transform(trimmed)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,256}$/, {
    message: 'METRICS_TOKEN must be 16..256 printable characters',
  })
  METRICS_TOKEN?: string;
}

/** Variables whose values must never be echoed, even in a validation error. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'OPENAI_API_KEY',
  'API_KEYS',
  'ADMIN_API_KEY',
  'DOCS_API_KEY',
  'METRICS_TOKEN',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_URL',
]);
