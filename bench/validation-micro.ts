import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './paths';

/**
 * CPU per request of the global validation pipe on the bench's chat body, for builds side by
 * side: `node .bench/bench/validation-micro.js [<dist> …]` (default: dist/). Each build runs in
 * its own process (class-validator's metadata storage is global), one after the other. A build
 * with the compiled check of the common shape (`chat/dto/common-chat-body`) is timed with it, as
 * AppModule builds its pipe, and without it (`VALIDATION_MICRO_FULL=1`: the full path alone).
 */
interface Pipe {
  transform(value: unknown, metadata: { type: 'body'; metatype: unknown }): Promise<unknown>;
}

const body = (): object => ({
  model: 'openai/gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
    { role: 'user', content: 'What is the capital of France, and why is it famous?' },
  ],
  conversation_id: 'bench-sticky-000001',
});

async function measure(dist: string): Promise<number[]> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createValidationPipe } = require(
    join(dist, 'common/validation/create-validation-pipe'),
  ) as { createValidationPipe: (fastPaths?: Map<unknown, unknown>) => Pipe };
  const { ChatCompletionRequestDto } = require(
    join(dist, 'chat/dto/chat-completion-request.dto'),
  ) as { ChatCompletionRequestDto: unknown };
  const fastPath = join(dist, 'chat/dto/common-chat-body.js');
  const fastPaths = new Map<unknown, unknown>();
  if (existsSync(fastPath) && process.env.VALIDATION_MICRO_FULL !== '1') {
    const { isCommonChatBody } = require(fastPath) as { isCommonChatBody: unknown };
    fastPaths.set(ChatCompletionRequestDto, isCommonChatBody);
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  const pipe = createValidationPipe(fastPaths);
  const metadata = { type: 'body' as const, metatype: ChatCompletionRequestDto };
  for (let i = 0; i < 5_000; i++) await pipe.transform(body(), metadata);
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    const n = 20_000;
    for (let i = 0; i < n; i++) await pipe.transform(body(), metadata);
    const used = process.cpuUsage(start);
    rounds.push((used.user + used.system) / n);
  }
  return rounds;
}

async function main(): Promise<void> {
  const dists = process.argv.slice(2);
  if (process.env.VALIDATION_MICRO_CHILD === '1') {
    const rounds = await measure(resolve(dists[0]));
    process.stdout.write(`${JSON.stringify(rounds)}\n`);
    return;
  }
  const { execFileSync } = await import('node:child_process');
  for (const dist of dists.length > 0 ? dists : [join(REPO_ROOT, 'dist')]) {
    const variants = existsSync(join(dist, 'chat/dto/common-chat-body.js'))
      ? [' (as AppModule builds it)', ' (full path only)']
      : [''];
    for (const variant of variants) {
      const out = execFileSync(process.execPath, [__filename, dist], {
        env: {
          ...process.env,
          VALIDATION_MICRO_CHILD: '1',
          VALIDATION_MICRO_FULL: variant.includes('full') ? '1' : '0',
        },
        encoding: 'utf8',
      });
      const rounds = (JSON.parse(out) as number[]).sort((a, b) => a - b);
      process.stdout.write(
        `${dist}: validation pipe${variant} ${rounds[2].toFixed(1)} µs/request (median of 5 × 20,000; ` +
          `${rounds.map((r) => r.toFixed(1)).join(', ')})\n`,
      );
    }
  }
}

void main();
