import { request } from 'node:http';
import { createTestApp, TestApp } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';

/** One GET on a fresh socket, returning the raw response headers. */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('behind a load balancer: HTTP server timeouts', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('keeps idle connections 65 s by default (longer than common LB idle timeouts), headers 66 s', async () => {
    app = await createTestApp();
    const headers = await rawGet(`${app.url}/health/live`, { connection: 'keep-alive' });
    expect(headers['keep-alive']).toBe('timeout=65');
    const server = app.app.getHttpServer();
    expect(server.headersTimeout).toBe(66_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });

  it('takes HTTP_KEEP_ALIVE_TIMEOUT_MS and HTTP_HEADERS_TIMEOUT_MS from the environment', async () => {
    app = await createTestApp({
      env: { HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000', HTTP_HEADERS_TIMEOUT_MS: '121000' },
    });
    const headers = await rawGet(`${app.url}/health/live`, { connection: 'keep-alive' });
    expect(headers['keep-alive']).toBe('timeout=120');
    expect(app.app.getHttpServer().headersTimeout).toBe(121_000);
  });
});

describe('behind a load balancer: TRUST_PROXY and the client address in the request log', () => {
  const gateways: GatewayProcess[] = [];
  afterAll(() => Promise.all(gateways.map((gw) => gw.kill())));

  async function clientIpLogged(env: Record<string, string>): Promise<unknown> {
    const gw = await startGatewayProcess({ API_KEYS: 'alice:sk-alice-test-key', ...env });
    gateways.push(gw);
    const requestId = `lb-${Math.random().toString(36).slice(2)}`;
    await rawGet(`${gw.url}/native/v1/models-that-do-not-exist`, {
      'x-request-id': requestId,
      'x-forwarded-for': '203.0.113.7',
    });
    for (let i = 0; i < 50; i++) {
      const line = gw
        .output()
        .split('\n')
        .find((l) => l.includes(requestId) && l.includes('request completed'));
      if (line !== undefined) return (JSON.parse(line) as { client_ip?: unknown }).client_ip;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no request log line');
  }

  it('ignores X-Forwarded-For by default: a direct client cannot choose the address logged', async () => {
    expect(await clientIpLogged({})).toBe('127.0.0.1');
  });

  it('logs the forwarded client address when the proxy in front is trusted', async () => {
    expect(await clientIpLogged({ TRUST_PROXY: 'loopback' })).toBe('203.0.113.7');
  });
});
