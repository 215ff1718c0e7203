import { auth } from './create-test-app';

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** POSTs JSON (or a raw string) as a client would and reads the JSON answer. */
export async function post<T = Record<string, unknown>>(
  url: string,
  body: unknown,
  headers: Record<string, string> = auth(),
): Promise<JsonResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

export async function get<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string> = auth(),
  method = 'GET',
): Promise<JsonResponse<T>> {
  const res = await fetch(url, { method, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/**
 * Asserts the error envelope exactly: four keys, the expected code, string message and type,
 * param a string or null, and nothing that looks like a stack trace.
 */
export function expectEnvelope(body: unknown, code: string, type?: string): void {
  const error = (body as { error?: Record<string, unknown> }).error;
  expect(Object.keys(body as object)).toEqual(['error']);
  expect(Object.keys(error ?? {}).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(error?.code).toBe(code);
  if (type !== undefined) expect(error?.type).toBe(type);
  expect(typeof error?.message).toBe('string');
  expect(error?.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expect(error?.param === null || typeof error?.param === 'string').toBe(true);
}

/** Parses an SSE body into its `data:` payloads (comments dropped). */
export function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n'),
    )
    .filter((data) => data.length > 0);
}
