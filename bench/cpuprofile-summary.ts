import { readFileSync } from 'node:fs';

/** Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) by self time. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of the profile the thread was idle (waiting for I/O). */
  idlePercent: number;
  byGroup: SelfTimeEntry[];
  byFunction: SelfTimeEntry[];
  /**
   * Self time charged to the nearest package or Sentinel file on the stack: time in Node core
   * and V8 builtins (socket writes, JSON, streams) counts for whoever called them.
   */
  byCaller: SelfTimeEntry[];
  /**
   * `byCaller` folded into the areas of a request (AREAS), every entry counted, idle left out;
   * Node's HTTP response writing is an area of its own, whoever called it.
   */
  byArea: SelfTimeEntry[];
}

/**
 * The areas a request's CPU is reported by, matched in order on the `byCaller` group; JSON
 * parsing and serialization are V8 builtins and count for whoever called them (Express's
 * `res.json`, the body reader, the provider's wire code, the log line).
 */
const AREAS: Array<[string, RegExp]> = [
  ['GC', /^\(garbage collector\)$/],
  ['idle', /^\(idle\)$/],
  [
    'validation (class-validator, class-transformer, DTO rules)',
    /^(class-validator|class-transformer|sentinel (common\/validation|chat\/dto)\/)/,
  ],
  [
    'body parsing (reader, limits, depth scan)',
    /^(body-parser|raw-body|iconv-lite|content-type|sentinel common\/http\/(read-utf8-json|json-body))/,
  ],
  [
    'Express (router, request/response helpers)',
    /^(express|router|finalhandler|send|on-finished|node:_http|node:net)/,
  ],
  [
    'Nest pipeline (guards, pipes, handler, promise chain)',
    /^(@nestjs\/|rxjs|reflect-metadata|node:internal\/process|tslib)/,
  ],
  [
    'logging (pino, stdout)',
    /^(pino|sonic-boom|nestjs-pino|pino-http|pino-std|fast-redact|sentinel logging\/)/,
  ],
  ['metrics (prom-client)', /^(prom-client|sentinel metrics\/)/],
  [
    'ioredis + session store',
    /^(ioredis|redis-parser|denque|cluster-key-slot|sentinel (cache|session)\/)/,
  ],
  ['undici + provider adapter (upstream JSON)', /^(undici|sentinel providers\/)/],
  ['Sentinel chat, routing, auth, request facts', /^sentinel /],
];

/** Node's HTTP writer and the socket writes under it, whoever called them (res.json or res.end). */
const HTTP_WRITE =
  'node:http / net writing (response headers, socket writes to client, Redis, upstream)';
const isHttpWrite = (group: string, functionName: string): boolean =>
  /^node:(_http_outgoing|_http_server|net|internal\/stream_base_commons)/.test(group) ||
  (group === '(V8 builtins / native)' &&
    /^write(v|Utf8String|String|Buffer|Latin1String|AsciiString)$/.test(functionName));

export const areaOf = (caller: string): string =>
  AREAS.find(([, pattern]) => pattern.test(caller))?.[0] ?? 'other';

const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/** `ioredis`, `@nestjs/core`, `node:internal/…`, `sentinel src/chat/…` or a special bucket. */
export function groupOf(url: string, functionName: string): string {
  if (url === '') return SPECIAL.has(functionName) ? functionName : '(V8 builtins / native)';
  if (url.startsWith('node:')) {
    const module = url.slice('node:'.length).replace(/^internal\//, 'internal/');
    return `node:${module.split('/').slice(0, 2).join('/')}`;
  }
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const parts = path.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = path.lastIndexOf('/dist/');
  if (dist !== -1) return `sentinel ${path.slice(dist + '/dist/'.length).replace(/\.js$/, '')}`;
  return path.split('/').slice(-2).join('/');
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  const group = groupOf(url, functionName);
  return `${name} ${group}:${lineNumber + 1}`;
}

/** Groups that do not pay for their own time in the `byCaller` view. */
const isInfrastructure = (group: string): boolean =>
  group.startsWith('node:') || group === '(V8 builtins / native)' || group.startsWith('wasm');

/** `skipMs`: leave out the first milliseconds of the profile (the process starting up). */
export function summarizeProfile(profile: CpuProfile, top = 25, skipMs = 0): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const payer = new Map<number, string>();
  const payerOf = (id: number): string => {
    const known = payer.get(id);
    if (known !== undefined) return known;
    const { url, functionName } = byId.get(id)!.callFrame;
    const group = groupOf(url, functionName);
    const up = parent.get(id);
    const result =
      isInfrastructure(group) &&
      up !== undefined &&
      !SPECIAL.has(byId.get(up)!.callFrame.functionName)
        ? payerOf(up)
        : group;
    payer.set(id, result);
    return result;
  };
  const selfUs = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  let elapsedUs = 0;
  for (let i = 0; i < samples.length; i++) {
    elapsedUs += timeDeltas[i];
    if (elapsedUs < skipMs * 1000) continue;
    // timeDeltas[i + 1] is the time until the next sample: what this sample stands for.
    const delta = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, delta));
  }
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  const callers = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    total += us;
    const { url, functionName } = node.callFrame;
    if (functionName === '(idle)') idle += us;
    const group = groupOf(url, functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = frameName(node);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const paying = payerOf(id);
    callers.set(paying, (callers.get(paying) ?? 0) + us);
    const area = isHttpWrite(group, functionName) ? HTTP_WRITE : areaOf(paying);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rank = (map: Map<string, number>): SelfTimeEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: (us / total) * 100 }));
  return {
    totalMs: total / 1000,
    idlePercent: (idle / total) * 100,
    byGroup: rank(groups),
    byFunction: rank(functions),
    byCaller: rank(callers),
    byArea: byArea(areas, total - idle),
  };
}

function byArea(areas: Map<string, number>, busyUs: number): SelfTimeEntry[] {
  return [...areas.entries()]
    .filter(([name]) => name !== 'idle')
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ name, selfMs: us / 1000, percent: (us / busyUs) * 100 }));
}

export function formatSummary(summary: ProfileSummary): string {
  const line = (e: SelfTimeEntry): string =>
    `${e.selfMs.toFixed(0).padStart(8)} ms ${e.percent.toFixed(1).padStart(5)} %  ${e.name}`;
  return [
    `profile: ${summary.totalMs.toFixed(0)} ms sampled, ${summary.idlePercent.toFixed(1)} % idle`,
    'self time by package / file:',
    ...summary.byGroup.map(line),
    'self time by function:',
    ...summary.byFunction.map(line),
    'self time charged to the nearest package / file (Node core and V8 count for their caller):',
    ...summary.byCaller.map(line),
    'busy time by area of a request (idle left out):',
    ...summary.byArea.map(line),
  ].join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write(
      'usage: node .bench/bench/cpuprofile-summary.js <file.cpuprofile> [top] [skip ms]\n',
    );
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(
    `${formatSummary(summarizeProfile(profile, Number(process.argv[3] ?? 25), Number(process.argv[4] ?? 0)))}\n`,
  );
}
