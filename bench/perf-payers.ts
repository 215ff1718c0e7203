import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * True CPU by payer, from Linux `perf` (`ab.js --perf DIR`). V8's `--cpu-prof` samples on wall
 * time: a process that is preempted inside a socket write (two cores shared by the load
 * generator, the upstream, Redis and the target) has that wait charged to the write, which
 * inflates "socket writes" several times over. `perf record -e cpu-clock` samples only while
 * the process runs (kernel time included); with `node --perf-basic-prof` its JIT frames are
 * named, and each sample is charged to the nearest frame of a package (`node_modules/<pkg>`)
 * or of a Sentinel file (`dist/<file>`), so Node core, V8 and the kernel count for whoever
 * called them. Samples with no such frame (the event loop itself, promise plumbing with no
 * named caller, V8's compiler and GC threads) are reported as their own rows.
 */

/**
 * Node's flags for a process to be recorded: JIT symbols for perf (`perf-<pid>.map` in the
 * temporary directory), and V8's log (which that flag turns on, as `isolate-*-v8.log` in the
 * working directory) dropped.
 */
export const PERF_NODE_ARGS = ['--perf-basic-prof', '--logfile=/dev/null'];

/** Whether `perf` can run here (Debian: `apt-get install linux-perf`). */
export function perfAvailable(): boolean {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `perf record` of one process until `stop()`. */
export function recordPerf(pid: number, file: string): { stop(): Promise<void> } {
  const perf: ChildProcess = spawn(
    'perf',
    ['record', '-q', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(pid), '-o', file],
    { stdio: 'ignore' },
  );
  return {
    stop: async (): Promise<void> => {
      if (perf.exitCode !== null) return;
      const exited = once(perf, 'exit');
      perf.kill('SIGINT');
      await exited;
    },
  };
}

const GC = /Scaveng|MarkCompact|ConcurrentMarking|Sweeper|Heap::|MinorMS|MarkingVisitor/;
const COMPILER = /OptimizingCompileDispatcher|Compiler|Maglev|Turbofan|compiler::/;

/** The payer of one sample's stack (leaf first), as described above. */
export function payerOf(frames: readonly string[]): string {
  for (const frame of frames) {
    const js = frame.indexOf('JS:');
    if (js === -1) continue;
    const location = frame.slice(js);
    const modules = location.lastIndexOf('/node_modules/');
    if (modules !== -1) {
      const parts = location.slice(modules + '/node_modules/'.length).split('/');
      return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    }
    const dist = location.lastIndexOf('/dist/');
    if (dist !== -1) return `sentinel ${location.slice(dist + '/dist/'.length).split(':')[0]}`;
  }
  const stack = frames.join(' ');
  if (GC.test(stack)) return '(GC)';
  if (COMPILER.test(stack)) return '(V8 compiler threads)';
  if (frames.some((f) => f.includes('JS:'))) return '(Node core, no package caller)';
  return '(event loop, libuv, kernel)';
}

/** Share of the recorded samples per payer (0..1). */
export function perfPayers(file: string): Map<string, number> {
  const script = execFileSync('perf', ['script', '-i', file, '-F', 'ip,sym'], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const counts = new Map<string, number>();
  let samples = 0;
  for (const block of script.split('\n\n')) {
    const frames = block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    if (frames.length === 0) continue;
    samples++;
    const payer = payerOf(frames);
    counts.set(payer, (counts.get(payer) ?? 0) + 1);
  }
  return new Map([...counts].map(([payer, n]) => [payer, n / samples]));
}

/**
 * Payers folded into areas. Per file, Sentinel's rows are not stable: TurboFan inlines one
 * file's functions into another's (writeChatOutcome into ChatResponder.respond), and the time
 * moves with the inlining; the areas are.
 */
const AREAS: Array<[string, RegExp]> = [
  ['Sentinel code (all files)', /^sentinel /],
  ['undici (upstream HTTP client)', /^undici$/],
  ['ioredis', /^(ioredis|redis-parser|denque|cluster-key-slot|standard-as-callback)$/],
  [
    'Express, router, Nest',
    /^(express|router|finalhandler|parseurl|on-finished|send|@nestjs\/.*|rxjs|reflect-metadata|tslib|forwarded|proxy-addr)$/,
  ],
  [
    'body-parser, raw-body',
    /^(body-parser|raw-body|iconv-lite|type-is|content-type|mime-types|media-typer|bytes)$/,
  ],
  [
    'pino, sonic-boom',
    /^(pino|sonic-boom|fast-redact|quick-format-unescaped|pino-std-serializers|nestjs-pino|pino-http)$/,
  ],
  ['prom-client', /^(prom-client|tdigest|bintrees)$/],
];

export function areaOfPayer(payer: string): string {
  if (payer.startsWith('(')) return payer;
  return AREAS.find(([, pattern]) => pattern.test(payer))?.[0] ?? 'other packages';
}
