import { createTestApp, TestApp } from '../support/create-test-app';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { describeStickiness } from '../support/stickiness-scenarios';

let upstream: RecordingUpstream;
let app: TestApp;

afterAll(async () => {
  await app?.close();
  await upstream?.close();
});

describeStickiness('in-memory store', async () => {
  upstream = await startRecordingUpstream();
  app = await createTestApp({
    env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-gateway-upstream-key' },
  });
  return { gateways: [app.url], upstream };
});
