import OpenAI from 'openai';
import { ALICE, auth } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { expectEnvelope } from '../support/http';

/**
 * A client still uploading a body over MAX_BODY_BYTES must be able to read its 413: Node's
 * fetch and the openai client report `fetch failed` (a reset) instead when the server closes
 * mid-upload, so the gateway answers, then reads and discards the rest for a bounded time.
 */
const TRIES = 20;
const FIFTY_MB = 50 * 1024 * 1024;

const bodyOf = (content: string): string =>
  JSON.stringify({ model: 'echo/m', messages: [{ role: 'user', content }] });

describe('an oversized body (against the 5 MiB default)', () => {
  let gateway: GatewayProcess;
  let chat: string;
  const content = 'x'.repeat(FIFTY_MB);

  beforeAll(async () => {
    gateway = await startGatewayProcess({
      API_KEYS: `alice:${ALICE}`,
      ECHO_PROVIDER: 'true',
      DEFAULT_PROVIDER: 'echo',
      LOG_LEVEL: 'warn',
    });
    chat = `${gateway.url}/native/v1/chat/completions`;
  }, 30_000);
  afterAll(() => gateway.kill());

  it.each([
    ['6 MB', 6_000_000],
    ['50 MB', FIFTY_MB],
  ])(
    `reaches Node's fetch as a readable 413 (%s), ${TRIES} times of ${TRIES}`,
    async (_, size) => {
      const body = bodyOf(content.slice(0, size));
      const outcomes: string[] = [];
      for (let i = 0; i < TRIES; i++) {
        try {
          const res = await fetch(chat, {
            method: 'POST',
            headers: { ...auth(), 'content-type': 'application/json' },
            body,
          });
          const answer: unknown = await res.json();
          expectEnvelope(answer, 'payload_too_large', 'invalid_request_error');
          outcomes.push(String(res.status));
        } catch (error) {
          outcomes.push(`${(error as Error).message}: ${String((error as Error).cause)}`);
        }
      }
      expect(outcomes).toEqual(Array<string>(TRIES).fill('413'));
    },
    120_000,
  );

  it(`reaches the openai client as a 413 APIError (50 MB), ${TRIES} times of ${TRIES}`, async () => {
    const client = new OpenAI({
      baseURL: `${gateway.url}/native/v1`,
      apiKey: ALICE,
      maxRetries: 0,
    });
    const outcomes: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      try {
        await client.chat.completions.create({
          model: 'echo/m',
          messages: [{ role: 'user', content }],
        });
        outcomes.push('accepted');
      } catch (error) {
        outcomes.push(
          error instanceof OpenAI.APIError && error.status !== undefined
            ? `${error.status} ${String(error.code)}`
            : `${(error as Error).name}: ${(error as Error).message}`,
        );
      }
    }
    expect(outcomes).toEqual(Array<string>(TRIES).fill('413 payload_too_large'));
  }, 120_000);
});
