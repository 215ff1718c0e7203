import { setTimeout as sleep } from 'node:timers/promises';
import { auth } from '../support/create-test-app';

/** One answered request of a load run. */
export interface Sample {
  phase: string;
  conversation: string;
  /** Which request of its conversation: 0 names model A, 1 names model B, 2 names none. */
  turn: number;
  namedModel: string | undefined;
  status: number;
  session: string | null;
  model: string | null;
  code: string | undefined;
  retryAfter: string | null;
  latencyMs: number;
}

export interface LoadRun {
  /** Label stamped on the samples from now on. */
  phase: string;
  readonly samples: Sample[];
  /** Stops the loops and resolves once every request in flight has been answered. */
  stop(): Promise<void>;
}

export const MODEL_A = 'model-a';
export const MODEL_B = 'model-b';

/**
 * A steady stream of chat requests from `loops` concurrent clients. Each conversation gets
 * three turns: the first names `openai/model-a`, the second `openai/model-b` (a sticky session
 * must keep serving model-a), the third names no model (it needs its session). A request that
 * fails at the transport level is recorded with status 0.
 */
export function startChatLoad(
  gatewayUrl: string,
  options: { loops?: number; pauseMs?: number; prefix: string; key?: string },
): LoadRun {
  const loops = options.loops ?? 4;
  const pauseMs = options.pauseMs ?? 5;
  let running = true;
  const run: LoadRun = {
    phase: 'warm-up',
    samples: [],
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };

  async function worker(loop: number): Promise<void> {
    for (let i = 0; running; i++) {
      const conversation = `${options.prefix}-l${loop}-c${Math.floor(i / 3)}`;
      const turn = i % 3;
      const namedModel =
        turn === 0 ? `openai/${MODEL_A}` : turn === 1 ? `openai/${MODEL_B}` : undefined;
      run.samples.push(
        await send(gatewayUrl, run.phase, conversation, turn, namedModel, options.key),
      );
      await sleep(pauseMs);
    }
  }
  const workers = Array.from({ length: loops }, (_, loop) => worker(loop));
  return run;
}

async function send(
  gatewayUrl: string,
  phase: string,
  conversation: string,
  turn: number,
  namedModel: string | undefined,
  key?: string,
): Promise<Sample> {
  const started = performance.now();
  const body = {
    ...(namedModel === undefined ? {} : { model: namedModel }),
    conversation_id: conversation,
    messages: [{ role: 'user', content: `turn ${turn}` }],
  };
  try {
    const res = await fetch(`${gatewayUrl}/native/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(key), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { error?: { code?: string } };
    return {
      phase,
      conversation,
      turn,
      namedModel,
      status: res.status,
      session: res.headers.get('x-sentinel-session'),
      model: res.headers.get('x-sentinel-model'),
      code: answer.error?.code,
      retryAfter: res.headers.get('retry-after'),
      latencyMs: performance.now() - started,
    };
  } catch {
    return {
      phase,
      conversation,
      turn,
      namedModel,
      status: 0,
      session: null,
      model: null,
      code: undefined,
      retryAfter: null,
      latencyMs: performance.now() - started,
    };
  }
}

/** Polls `/health/ready` every `everyMs` until stopped; records each status with its phase. */
export function watchReadiness(
  gatewayUrl: string,
  phaseOf: () => string,
  everyMs = 100,
): { statuses: Array<{ phase: string; status: number }>; stop(): Promise<void> } {
  let running = true;
  const statuses: Array<{ phase: string; status: number }> = [];
  const loop = (async (): Promise<void> => {
    while (running) {
      const phase = phaseOf();
      const status = await fetch(`${gatewayUrl}/health/ready`)
        .then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        })
        .catch(() => 0);
      statuses.push({ phase, status });
      await sleep(everyMs);
    }
  })();
  return {
    statuses,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Polls `check` until it returns true, for up to `timeoutMs`; returns the time it took. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await sleep(50);
  }
  return Date.now() - started;
}

/** Maximum and 99th percentile of the latencies, rounded to whole ms. */
export function latencyFigures(samples: Sample[]): {
  n: number;
  max: number;
  p99: number;
  p50: number;
} {
  const sorted = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { n: sorted.length, max: Math.round(sorted.at(-1) ?? 0), p99: at(0.99), p50: at(0.5) };
}

/** Prints measured figures when RELIABILITY_REPORT is set (kept quiet in ordinary runs). */
export function report(label: string, figures: unknown): void {
  if (process.env.RELIABILITY_REPORT)
    process.stdout.write(`[reliability] ${label}: ${JSON.stringify(figures)}\n`);
}
