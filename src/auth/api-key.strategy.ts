import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/auth.config';
import type { AuthStrategy } from './auth-strategy.interface';
import type { Caller } from './caller';

const digest = (key: string): string => createHash('sha256').update(key).digest('base64');

/**
 * Static keys from `API_KEYS`. Keys are held and looked up only by their SHA-256 digest, so
 * the lookup time says nothing about how much of a guess matched and no key is kept in clear.
 */
@Injectable()
export class ApiKeyStrategy implements AuthStrategy {
  private readonly callers = new Map<string, Caller>();

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    for (const [key, externalId] of config.apiKeys) {
      this.callers.set(digest(key), { externalId, strategy: 'api_key' });
    }
    if (this.callers.size === 0) {
      new Logger(ApiKeyStrategy.name).warn('API_KEYS is empty: every /native request gets 401');
    }
  }

  authenticate(bearer: string): Caller | null {
    return this.callers.get(digest(bearer)) ?? null;
  }
}
