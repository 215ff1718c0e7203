import { Pool } from 'undici';
import type { Target } from './targets';
import { chatBody, HEADERS } from './workload';

/**
 * Opens each conversation with one JSON request (so the sticky scenarios only ever meet
 * existing sessions) and checks that the gateway created it.
 */
export async function createConversations(target: Target, ids: readonly string[]): Promise<void> {
  const pool = new Pool(target.origin, { connections: 16 });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++];
      const { statusCode, headers, body } = await pool.request({
        method: 'POST',
        path: target.path,
        headers: HEADERS,
        body: chatBody({ conversationId: id, model: target.model }),
      });
      await body.dump();
      if (statusCode !== 200 || headers['x-sentinel-session'] !== 'created') {
        throw new Error(`${target.name}: opening ${id} answered ${statusCode}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: 16 }, worker));
  } finally {
    await pool.close();
  }
}
