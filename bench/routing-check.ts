import { execFileSync } from 'node:child_process';
import { createConversations } from './conversations';
import { runLoad } from './load';
import { snapshotBuild } from './paths';
import { startLab } from './targets';
import { rotatingBodies, stickyIds } from './workload';

/**
 * The routing-file gateway against the one without, alone in the bench's lab: alternating
 * sticky JSON runs at 50 connections, with the Redis commands per request each run caused
 * (commandstats counts the commands a script runs too). `node .bench/bench/routing-check.js
 * [rounds] [seconds]` after `npm run build && tsc -p bench/tsconfig.json`.
 */
const commandCalls = (url: string): Map<string, number> => {
  const info = execFileSync('redis-cli', ['-p', new URL(url).port, 'info', 'commandstats'], {
    encoding: 'utf8',
  });
  return new Map([...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1], +m[2]]));
};

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const seconds = Number(process.argv[3] ?? 3);
  snapshotBuild();
  const lab = await startLab();
  const ids = stickyIds(1_000);
  try {
    for (const name of ['gw-redis', 'gw-routing'] as const)
      await createConversations(lab.target(name), ids);
    for (let round = 0; round < rounds; round++) {
      for (const name of ['gw-redis', 'gw-routing'] as const) {
        const target = lab.target(name);
        const before = commandCalls(lab.redis.url);
        const result = await runLoad(target, rotatingBodies(ids, false, target.model), {
          connections: 50,
          durationSec: seconds,
        });
        const perRequest = [...commandCalls(lab.redis.url)]
          .map(([cmd, n]) => [cmd, (n - (before.get(cmd) ?? 0)) / result.requests] as const)
          .filter(([, n]) => n >= 0.01)
          .map(([cmd, n]) => `${cmd} ${n.toFixed(2)}`)
          .join(', ');
        process.stdout.write(
          `round ${round + 1} ${name.padEnd(10)} ${result.rps.toFixed(0).padStart(5)} req/s  ` +
            `CPU ${result.cpuMsPerRequest.toFixed(3)} ms/req  Redis per request: ${perRequest}\n`,
        );
      }
    }
  } finally {
    await lab.stop();
  }
}

void main();
