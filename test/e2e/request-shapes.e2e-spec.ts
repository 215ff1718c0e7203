import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';

/**
 * Express re-parents every request's `req`/`res`; on a stock server that leaves each request's
 * objects with hidden classes of their own, and every property access on them misses V8's
 * inline caches (src/common/http/express-adapter.ts). This suite runs the production build
 * with V8's test intrinsics on and a preload that compares, as each answer finishes, the hidden
 * class of this request's `req`/`res` with the previous request's. A stock Express app under the
 * same preload is the control: it shows the probe sees the problem.
 */
const PRELOAD = `
const http = require('node:http');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
let previous;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request') {
    res.once('finish', () => {
      if (previous !== undefined) {
        process.stderr.write('shape-probe req=' + sameMap(req, previous.req) + ' res=' + sameMap(res, previous.res) + '\\n');
      }
      previous = { req, res };
    });
  }
  return emit.apply(this, arguments);
};
`;

/** A stock Express app (the one Nest's adapter depends on): JSON body, one POST route. */
const STOCK_EXPRESS = `
const express = require(require.resolve('express', { paths: [require.resolve('@nestjs/platform-express')] }));
const app = express();
app.use(express.json());
app.post('/echo', (req, res) => res.json({ got: req.body }));
const server = app.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

const KEY = 'sk-shapes-test-key';
const WARM_UP = 5;
const REQUESTS = 40;

/**
 * The probe's verdicts after the warm-up: how many requests shared the previous one's shapes.
 * A verdict is written as an answer finishes, so the last may reach us after the client's
 * response: waits (bounded) until `atLeast` are in.
 */
async function verdicts(
  output: () => string,
  atLeast: number,
): Promise<{ pairs: number; reqSame: number; resSame: number }> {
  const probeLines = (): string[] =>
    output()
      .split('\n')
      .filter((line) => line.startsWith('shape-probe '));
  for (let i = 0; i < 40 && probeLines().length < atLeast; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const measured = probeLines().slice(WARM_UP);
  return {
    pairs: measured.length,
    reqSame: measured.filter((line) => line.includes('req=true')).length,
    resSame: measured.filter((line) => line.includes('res=true')).length,
  };
}

describe('request and response objects keep shared hidden classes (V8 inline caches)', () => {
  let dir: string;
  let preload: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-shapes-'));
    preload = join(dir, 'shape-probe.js');
    writeFileSync(preload, PRELOAD);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('the gateway', () => {
    let gateway: GatewayProcess;

    beforeAll(async () => {
      gateway = await startGatewayProcess(
        {
          API_KEYS: `shapes:${KEY}`,
          ECHO_PROVIDER: 'true',
          DEFAULT_PROVIDER: 'echo',
          CACHE_BACKEND: 'memory',
          LOG_LEVEL: 'warn',
        },
        { nodeArgs: ['--allow-natives-syntax', '-r', preload] },
      );
    });
    afterAll(() => gateway.kill());

    it('every chat request after the first few has the previous one’s req and res shapes', async () => {
      for (let i = 0; i < REQUESTS; i++) {
        const res = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth(KEY) },
          body: JSON.stringify({
            model: 'echo/demo',
            messages: [{ role: 'user', content: `hello ${i}` }],
            conversation_id: `shapes-${i % 4}`,
          }),
        });
        expect(res.status).toBe(200);
        await res.text();
      }
      const { pairs, reqSame, resSame } = await verdicts(gateway.output, REQUESTS - 1);
      expect(pairs).toBeGreaterThanOrEqual(REQUESTS - WARM_UP - 1);
      expect({ reqSame, resSame }).toEqual({ reqSame: pairs, resSame: pairs });
    });
  });

  describe('the control: a stock Express app', () => {
    let child: ChildProcess;
    let output = '';
    let url: string;

    beforeAll(async () => {
      child = spawn(
        process.execPath,
        ['--allow-natives-syntax', '-r', preload, '-e', STOCK_EXPRESS],
        {
          cwd: join(__dirname, '..', '..'),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const [first] = (await once(child.stdout!, 'data')) as [Buffer];
      url = `http://127.0.0.1:${/port (\d+)/.exec(first.toString())![1]}`;
    });
    afterAll(async () => {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    });

    it('gives most requests shapes of their own, so the probe above can fail', async () => {
      for (let i = 0; i < REQUESTS; i++) {
        const res = await fetch(`${url}/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ i }),
        });
        expect(res.status).toBe(200);
        await res.text();
      }
      const { pairs, reqSame, resSame } = await verdicts(() => output, REQUESTS - 1);
      expect(pairs).toBeGreaterThanOrEqual(REQUESTS - WARM_UP - 1);
      expect(reqSame).toBeLessThan(pairs / 2);
      expect(resSame).toBeLessThan(pairs / 2);
    });
  });
});
