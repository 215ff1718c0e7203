import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp, TestAppOptions } from './create-test-app';
import { RecordingUpstream, startRecordingUpstream } from './recording-upstream';

export const ADMIN_KEY = 'admin-key-for-routing-tests-0123';

export interface RoutingApp extends TestApp {
  /** One recording upstream per deployment id given to startRoutingApp. */
  upstreams: Record<string, RecordingUpstream>;
  chat: string;
  /** Which deployment's upstream received each request, in order (all upstreams together). */
  callsTo(id: string): number;
  reset(): void;
}

/**
 * A real app (createTestApp) with a routing file written to a temp dir, and one recording
 * OpenAI-compatible upstream per named deployment; `file(urls)` gets each upstream's base URL
 * and returns the YAML. Keys are passed through `KEY_<ID>` variables, as the file names them.
 */
export async function startRoutingApp(
  ids: string[],
  file: (urls: Record<string, string>) => string,
  options: TestAppOptions = {},
): Promise<RoutingApp> {
  const upstreams: Record<string, RecordingUpstream> = {};
  for (const id of ids) upstreams[id] = await startRecordingUpstream();
  const urls = Object.fromEntries(ids.map((id) => [id, upstreams[id].url]));
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-routing-'));
  const path = join(dir, 'routing.yaml');
  writeFileSync(path, file(urls));
  const keys = Object.fromEntries(ids.map((id) => [keyEnv(id), `sk-upstream-${id}-key`]));
  let app: TestApp;
  try {
    app = await createTestApp({
      ...options,
      env: {
        ROUTING_CONFIG_FILE: path,
        ROUTING_HEALTH_SYNC_MS: '100',
        DEBUG_ENDPOINTS: 'true',
        ADMIN_API_KEY: ADMIN_KEY,
        ...keys,
        ...options.env,
      },
    });
  } catch (error) {
    await Promise.all(Object.values(upstreams).map((u) => u.close()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...app,
    upstreams,
    chat: `${app.url}/native/v1/chat/completions`,
    callsTo: (id) => upstreams[id].requests.length,
    reset: () => Object.values(upstreams).forEach((u) => u.reset()),
    close: async () => {
      await app.close();
      await Promise.all(Object.values(upstreams).map((u) => u.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The variable that holds a test deployment's key. */
export const keyEnv = (id: string): string => `KEY_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** A deployment line of a routing file for a test upstream. */
export function deployment(
  id: string,
  urls: Record<string, string>,
  extra: Record<string, unknown> = {},
): string {
  const fields = {
    id,
    provider: 'openai',
    model: 'm1',
    base_url: urls[id],
    api_key_env: keyEnv(id),
    ...extra,
  };
  return `  - ${JSON.stringify(fields)}`;
}
