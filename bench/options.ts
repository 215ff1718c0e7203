/** Command-line options of `npm run bench -- …`. */
export interface BenchOptions {
  quick: boolean;
  /** Only the SSE comparison of the anthropic and openai adapters (a few seconds). */
  adaptersOnly: boolean;
  /** Interleaved rounds; figures are medians over them. */
  rounds: number;
  /** Seconds of load per target per round at concurrency 50 and at concurrency 1. */
  c50Seconds: number;
  c1Seconds: number;
  /** Seconds per row and round of the comparisons' own back-to-back block (c=50). */
  comparisonSeconds: number;
  /** Seconds of load per target before the first round (JIT, pools, caches). */
  warmupSeconds: number;
  /** Short SSE streams per target per round, and slow ones. */
  streamsPerRound: number;
  slowStreamsPerRound: number;
  /** Sustained-load seconds for the soak (0: no soak). */
  soakSeconds: number;
  /** Seconds of profiled load (0: no profile). */
  profileSeconds: number;
  /** Sessions for the in-memory backend memory figure (0: skip). */
  sessions: number;
  /** Where the Markdown report goes. */
  out: string;
  /** The command line as typed, for the report. */
  command: string;
}

const USAGE = `usage: npm run bench -- [--quick] [--adapters-only] [--soak SECONDS] [--rounds N]
                        [--profile SECONDS] [--sessions N] [--out FILE]
  --quick        about a minute: 2 short rounds, no profile; report to .bench/BENCHMARKS-quick.md
  --adapters-only  only the SSE time-to-first-byte comparison of the anthropic and openai
                 adapters (5 rounds; quick 2); report to .bench/BENCHMARKS-adapters.md
  --soak N       also run N seconds of sustained load and report RSS growth
  --rounds N     interleaved rounds (default 5; quick 2)
  --profile N    seconds of --cpu-prof load on a separate gateway (default 10; quick 0)
  --sessions N   in-memory sessions to hold for the memory figure (default 1000000)
  --out FILE     report path (default docs/BENCHMARKS.md; quick .bench/BENCHMARKS-quick.md)`;

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const adaptersOnly = argv.includes('--adapters-only');
  const options: BenchOptions = quick
    ? {
        quick,
        adaptersOnly,
        rounds: 2,
        c50Seconds: 1,
        c1Seconds: 0.6,
        comparisonSeconds: 1,
        warmupSeconds: 0.5,
        streamsPerRound: 40,
        slowStreamsPerRound: 2,
        soakSeconds: 0,
        profileSeconds: 0,
        sessions: 1_000_000,
        out: '.bench/BENCHMARKS-quick.md',
        command: '',
      }
    : {
        quick,
        adaptersOnly,
        rounds: 5,
        c50Seconds: 4,
        c1Seconds: 2,
        comparisonSeconds: 2,
        warmupSeconds: 2,
        streamsPerRound: 100,
        slowStreamsPerRound: 5,
        soakSeconds: 0,
        profileSeconds: 10,
        sessions: 1_000_000,
        out: 'docs/BENCHMARKS.md',
        command: '',
      };
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${flag} needs a whole number >= ${min}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--quick':
      case '--adapters-only':
        break;
      case '--soak':
        options.soakSeconds = number(flag, argv[++i], 10);
        break;
      case '--rounds':
        options.rounds = number(flag, argv[++i], 1);
        break;
      case '--profile':
        options.profileSeconds = number(flag, argv[++i], 0);
        break;
      case '--sessions':
        options.sessions = number(flag, argv[++i], 0);
        break;
      case '--out':
        options.out = argv[++i] ?? '';
        if (options.out === '') throw new Error(`--out needs a file\n${USAGE}`);
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (adaptersOnly && !argv.includes('--out')) options.out = '.bench/BENCHMARKS-adapters.md';
  options.command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
  return options;
}
