/**
 * Baseline environment for e2e and integration tests, set before AppModule is imported. Tests
 * that need other settings pass them to createTestApp(), which applies them before building.
 * `.env` is never read under Jest (NODE_ENV=test).
 */
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.CACHE_BACKEND = 'memory';
process.env.API_KEYS = 'alice:sk-alice-test-key,bob:sk-bob-test-key';
process.env.ECHO_PROVIDER = 'true';
process.env.DEFAULT_PROVIDER = 'echo';
delete process.env.OPENAI_API_KEY;
delete process.env.OPENAI_BASE_URL;
delete process.env.DEBUG_ENDPOINTS;
delete process.env.ADMIN_API_KEY;
