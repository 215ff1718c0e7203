import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnthropicUpstream } from './anthropic-upstream';
import { createTestApp, TestApp } from './create-test-app';
import { RecordingUpstream, startRecordingUpstream } from './recording-upstream';
import { keyEnv } from './routing-app';

/** A deployment of a mixed routing file: OpenAI-compatible or Anthropic, with its fields. */
export interface MixedDeployment {
  id: string;
  provider: 'openai' | 'anthropic';
  model: string;
  extra?: Record<string, unknown>;
}

export interface MixedRoutingApp extends TestApp {
  chat: string;
  /** The recording upstream of each `openai` deployment, by id. */
  openai: Record<string, RecordingUpstream>;
  /** The strict Anthropic upstream of each `anthropic` deployment, by id (each its own key). */
  anthropic: Record<string, AnthropicUpstream>;
  /** The key the gateway was given for a deployment (what its upstream must receive). */
  keyOf(id: string): string;
}

/**
 * A real app (createTestApp) on a routing file that mixes OpenAI-compatible deployments (each
 * a recording upstream) and Anthropic deployments (each a strict Anthropic upstream expecting
 * its own key). `rest` is the YAML after the `deployments:` list (groups, tiers, defaults go
 * before it in `head`).
 */
export async function startMixedRoutingApp(
  deployments: MixedDeployment[],
  rest: string,
  head = '',
): Promise<MixedRoutingApp> {
  const openai: Record<string, RecordingUpstream> = {};
  const anthropic: Record<string, AnthropicUpstream> = {};
  const keyOf = (id: string): string => `sk-upstream-${id}-key`;
  const lines: string[] = [];
  for (const { id, provider, model, extra } of deployments) {
    let baseUrl: string;
    if (provider === 'openai') {
      openai[id] = await startRecordingUpstream();
      baseUrl = openai[id].url;
    } else {
      anthropic[id] = await AnthropicUpstream.start(keyOf(id));
      baseUrl = anthropic[id].url;
    }
    const fields = { id, provider, model, base_url: baseUrl, api_key_env: keyEnv(id), ...extra };
    lines.push(`  - ${JSON.stringify(fields)}`);
  }
  const closeUpstreams = (): Promise<unknown> =>
    Promise.all([...Object.values(openai), ...Object.values(anthropic)].map((u) => u.close()));
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-mixed-routing-'));
  const path = join(dir, 'routing.yaml');
  writeFileSync(path, `version: 1\n${head}\ndeployments:\n${lines.join('\n')}\n${rest}\n`);
  let app: TestApp;
  try {
    app = await createTestApp({
      env: {
        ROUTING_CONFIG_FILE: path,
        ROUTING_HEALTH_SYNC_MS: '100',
        ...Object.fromEntries(deployments.map(({ id }) => [keyEnv(id), keyOf(id)])),
      },
    });
  } catch (error) {
    await closeUpstreams();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...app,
    chat: `${app.url}/native/v1/chat/completions`,
    openai,
    anthropic,
    keyOf,
    close: async () => {
      await app.close();
      await closeUpstreams();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
