import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ConfigValidationError } from './config-validation.error';
import { EnvironmentVariables } from './env.schema';
import { parseApiKeys } from './parse-api-keys';
import { parseTrustProxy } from './parse-trust-proxy';
import { redisTopologyProblems } from './redis-topology.rules';

const KNOWN = Object.keys(new EnvironmentVariables());

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {});
  return `${error.property}: ${reasons.join('; ') || 'invalid value'}`;
}

/**
 * Turns raw environment strings into typed settings with defaults applied, or throws one
 * ConfigValidationError naming every bad variable (never their values: some are secrets).
 */
export function validateEnv(raw: Record<string, string | undefined>): EnvironmentVariables {
  const input: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = raw[key];
    if (value !== undefined) input[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const problems = validateSync(env, { forbidUnknownValues: true }).map(describe);
  if (env.API_KEYS !== undefined) {
    try {
      parseApiKeys(env.API_KEYS);
    } catch (error) {
      problems.push(`API_KEYS: ${(error as Error).message}`);
    }
  }
  if (env.CORS_ORIGINS !== undefined) {
    const bad = env.CORS_ORIGINS.split(',').filter((o) => !/^https?:\/\/[^\s/,]+$/.test(o.trim()));
    if (bad.length > 0)
      problems.push('CORS_ORIGINS: comma-separated http(s)://host[:port] origins');
  }
  problems.push(...redisTopologyProblems(env));
  try {
    parseTrustProxy(env.TRUST_PROXY);
  } catch (error) {
    problems.push(`TRUST_PROXY: ${(error as Error).message}`);
  }
  if (env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_KEEP_ALIVE_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return env;
}

let last: { fingerprint: string; env: EnvironmentVariables } | undefined;

/**
 * The validated settings of the current process environment. Every config namespace reads
 * through here; the result is reused until the environment changes (tests change it between
 * apps), so validation runs once per boot.
 */
export function loadEnv(): EnvironmentVariables {
  const fingerprint = JSON.stringify(KNOWN.map((key) => process.env[key] ?? null));
  if (last?.fingerprint !== fingerprint) last = { fingerprint, env: validateEnv(process.env) };
  return last.env;
}
