import { ensureDebianCommand } from './debian-package';

/**
 * Jest globalSetup of the integration project: only makes sure `redis-server` is installed
 * (each test file starts its own server on a free port). Never starts, uses or stops a system
 * Redis (the package may start one).
 */
export default function redisGlobalSetup(): void {
  ensureDebianCommand('redis-server', 'redis-server', 'integration tests');
}
