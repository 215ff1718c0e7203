import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRoutingConfig, parseRoutingConfig } from './load-routing-config';
import { ROUTING_DEFAULTS, RoutingConfig } from './routing-config';
import { RoutingConfigError } from './routing-config.error';

const SECRET = 'sk-proj-TOPSECRET-0123456789abcdef0123456789';
const SHORT_SECRET = 'TOPSECRET-short-key';
const ENV = {
  OPENAI_KEY_US: SECRET,
  OPENAI_KEY_EU: `${SECRET}-eu`,
  ANTHROPIC_API_KEY: `${SECRET}-anthropic`,
  GROQ_KEY: SHORT_SECRET,
};
const ADAPTERS = ['openai', 'anthropic', 'echo'];
const requiresKey = (kind: string): boolean => kind !== 'echo';
const catalog = { adapters: ADAPTERS, requiresKey };

const EXAMPLE_YAML = `
version: 1
defaults:                       # every key optional; these are the defaults
  strategy: weighted
  attempts: { max: 3, deadline_ms: 120000 }
  health: { consecutive_failures: 3, cooldown_initial_s: 10, cooldown_multiplier: 2,
            cooldown_max_s: 300, terminal_cooldown_s: 300 }
  stickiness: { on_unhealthy: migrate, max_wait_ms: 1500 }
deployments:
  - { id: oai-mini-us, provider: openai, model: gpt-4o-mini, base_url: https://api.openai.com/v1,
      api_key_env: OPENAI_KEY_US, weight: 3 }
  - { id: oai-mini-eu, provider: openai, model: gpt-4o-mini, base_url: https://eu.example/v1,
      api_key_env: OPENAI_KEY_EU, weight: 1 }
  - { id: claude-sonnet, provider: anthropic, model: claude-sonnet-4-5, api_key_env: ANTHROPIC_API_KEY,
      relative_cost: 4, priority: 1 }
groups:
  fast:  { deployments: [oai-mini-us, oai-mini-eu], fallbacks: [smart] }
  smart: { deployments: [claude-sonnet], stickiness: { on_unhealthy: strict } }
tiers: { simple: fast, moderate: fast, complex: smart }
`;

const EXPECTED: RoutingConfig = {
  defaults: ROUTING_DEFAULTS,
  deployments: [
    {
      id: 'oai-mini-us',
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: 'https://api.openai.com/v1',
      apiKeyEnv: 'OPENAI_KEY_US',
      weight: 3,
      priority: 0,
    },
    {
      id: 'oai-mini-eu',
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: 'https://eu.example/v1',
      apiKeyEnv: 'OPENAI_KEY_EU',
      weight: 1,
      priority: 0,
    },
    {
      id: 'claude-sonnet',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      apiKeyEnv: 'ANTHROPIC_API_KEY',
      weight: 0.25,
      priority: 1,
      relativeCost: 4,
    },
  ],
  groups: new Map([
    [
      'fast',
      {
        name: 'fast',
        deployments: ['oai-mini-us', 'oai-mini-eu'],
        fallbacks: ['smart'],
        ...ROUTING_DEFAULTS,
      },
    ],
    [
      'smart',
      {
        name: 'smart',
        deployments: ['claude-sonnet'],
        fallbacks: [],
        ...ROUTING_DEFAULTS,
        stickiness: { onUnhealthy: 'strict', maxWaitMs: 1500 },
      },
    ],
  ]),
  tiers: { simple: 'fast', moderate: 'fast', complex: 'smart' },
};

function problemsOf(text: string, env: Record<string, string> = ENV): string[] {
  try {
    parseRoutingConfig(text, 'routing.yaml', env, catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(RoutingConfigError);
    return [...(error as RoutingConfigError).problems];
  }
  throw new Error('expected the file to be rejected');
}

const minimal = (extra: string): string => `
version: 1
deployments:
  - { id: a, provider: echo, model: m }
  - { id: b, provider: echo, model: m }
${extra}`;

describe('loadRoutingConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-routing-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the documented example to the fully resolved config', () => {
    const path = join(dir, 'example.yaml');
    writeFileSync(path, EXAMPLE_YAML);
    expect(loadRoutingConfig(path, ENV, ADAPTERS, requiresKey)).toEqual(EXPECTED);
  });

  it('loads the same file written as JSON', () => {
    const path = join(dir, 'example.json');
    const json = {
      version: 1,
      deployments: [
        {
          id: 'oai-mini-us',
          provider: 'openai',
          model: 'gpt-4o-mini',
          base_url: 'https://api.openai.com/v1',
          api_key_env: 'OPENAI_KEY_US',
          weight: 3,
        },
        {
          id: 'oai-mini-eu',
          provider: 'openai',
          model: 'gpt-4o-mini',
          base_url: 'https://eu.example/v1',
          api_key_env: 'OPENAI_KEY_EU',
          weight: 1,
        },
        {
          id: 'claude-sonnet',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          api_key_env: 'ANTHROPIC_API_KEY',
          relative_cost: 4,
          priority: 1,
        },
      ],
      groups: {
        fast: { deployments: ['oai-mini-us', 'oai-mini-eu'], fallbacks: ['smart'] },
        smart: { deployments: ['claude-sonnet'], stickiness: { on_unhealthy: 'strict' } },
      },
      tiers: { simple: 'fast', moderate: 'fast', complex: 'smart' },
    };
    writeFileSync(path, JSON.stringify(json, null, 2));
    expect(loadRoutingConfig(path, ENV, ADAPTERS, requiresKey)).toEqual(EXPECTED);
  });

  it('names the file and the reason when it cannot be read', () => {
    const path = join(dir, 'missing.yaml');
    expect(() => loadRoutingConfig(path, ENV, ADAPTERS, requiresKey)).toThrow(
      `ROUTING_CONFIG_FILE ${path} is invalid:\n  - file cannot be read (ENOENT)`,
    );
  });

  it('returns a deeply frozen config', () => {
    const config = parseRoutingConfig(EXAMPLE_YAML, 'x', ENV, catalog);
    expect(Object.isFrozen(config.deployments[0])).toBe(true);
    expect(Object.isFrozen(config.groups.get('fast')?.deployments)).toBe(true);
    expect(Object.isFrozen(config.groups.get('smart')?.health)).toBe(true);
    expect(Object.isFrozen(config.tiers)).toBe(true);
  });
});

describe('routing file validation', () => {
  it('lists every mistake of a file with many, each with its location, in one error', () => {
    const text = `
version: 2
defaults:
  strategy: fastest
  attempts: { max: 11, deadline_ms: 50 }
  health: { consecutive_failures: 0, cooldown_initial_s: -1, cooldown_multiplier: 0.5, cooldown_max_s: 0, terminal_cooldown_s: x }
  stickiness: { on_unhealthy: wait, max_wait_ms: -5 }
  retries: 2
deployments:
  - { id: Bad_Id, provider: openai, model: gpt, api_key_env: OPENAI_KEY_US }
  - { id: dup, provider: opnai, model: "" }
  - { id: dup, provider: openai, model: m, base_url: "ftp://x", api_key_env: MISSING_VAR }
  - { id: w, provider: echo, model: m, weight: -1, relative_cost: 0, priority: 1.5, timeout_ms: 50, wieght: 2 }
  - { id: k, provider: anthropic, model: m }
  - just a string
groups:
  fast: { deployments: [dup, nope, dup], fallbacks: [fast, ghost], strategy: random }
  empty: { deployments: [] }
  "a/b": { deployments: [w] }
  loop1: { deployments: [w], fallbacks: [loop2] }
  loop2: { deployments: [w], fallbacks: [loop1], health: { cooldown_max_s: -2 }, stickness: {} }
tiers: { simple: fast, hard: fast, complex: nowhere }
`;
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        'version: must be 1',
        'defaults.strategy: must be one of weighted, priority, cost, latency, least_busy',
        'defaults.attempts.max: must be an integer 1..10',
        'defaults.attempts.deadline_ms: must be an integer 100..3600000',
        'defaults.health.consecutive_failures: must be an integer 1..1000',
        expect.stringMatching(/^defaults\.health\.cooldown_initial_s: must be a number of seconds/),
        'defaults.health.cooldown_multiplier: must be a number 1..100',
        expect.stringMatching(/^defaults\.health\.cooldown_max_s: /),
        expect.stringMatching(/^defaults\.health\.terminal_cooldown_s: /),
        'defaults.stickiness.on_unhealthy: must be one of migrate, strict',
        'defaults.stickiness.max_wait_ms: must be an integer 0..60000',
        expect.stringMatching(/^defaults\.retries: unknown key/),
        expect.stringMatching(/^deployments\[0\]\.id: must be a slug/),
        'deployments[1].provider: unknown adapter "opnai" (known: openai, anthropic, echo)',
        'deployments[1].model: must be a non-empty string',
        'deployments[2].id: duplicate id "dup"',
        'deployments[2].base_url: must be an http:// or https:// URL',
        'deployments[2].api_key_env: environment variable MISSING_VAR is not set or empty',
        'deployments[3].weight: must be a number ≥ 0',
        'deployments[3].relative_cost: must be a number > 0',
        'deployments[3].priority: must be an integer ≥ 0',
        'deployments[3].timeout_ms: must be an integer 100..3600000',
        expect.stringMatching(/^deployments\[3\]\.wieght: unknown key \(allowed: id, provider/),
        'deployments[4].api_key_env: required for provider "anthropic"',
        'deployments[5]: must be a mapping',
        'groups.fast.deployments[1]: unknown deployment "nope"',
        'groups.fast.deployments[2]: deployment "dup" is listed twice',
        'groups.fast.fallbacks[0]: a group cannot fall back to itself',
        'groups.fast.fallbacks[1]: unknown group "ghost"',
        'groups.fast.strategy: must be one of weighted, priority, cost, latency, least_busy',
        'groups.empty.deployments: must not be empty',
        expect.stringMatching(/^groups\["a\/b"\]: a group name must be .* without "\/"/),
        'groups.loop1.fallbacks: fallback cycle loop1 → loop2 → loop1',
        expect.stringMatching(/^groups\.loop2\.health\.cooldown_max_s: /),
        expect.stringMatching(/^groups\.loop2\.stickness: unknown key/),
        expect.stringMatching(/^tiers\.hard: unknown key/),
        'tiers.complex: unknown group "nowhere"',
      ]),
    );
    expect(problems).toHaveLength(37);
  });

  it('the error message starts with the file name and lists each problem on its own line', () => {
    const text = minimal('groups: { g: { deployments: [zzz] } }\ntiers: { simple: nope }');
    expect(() => parseRoutingConfig(text, 'conf/routing.yaml', ENV, catalog)).toThrow(
      'ROUTING_CONFIG_FILE conf/routing.yaml is invalid:\n' +
        '  - groups.g.deployments[0]: unknown deployment "zzz"\n' +
        '  - tiers.simple: unknown group "nope"',
    );
  });

  it('never prints a key: not from the environment, nor one pasted into the file', () => {
    const text = `
version: 1
deployments:
  - { id: a, provider: openai, model: m, api_key_env: ${SECRET} }
  - { id: b, provider: openai, model: m, api_key: ${SECRET}, api_key_env: OPENAI_KEY_US }
  - { id: c, provider: openai, model: m, base_url: "https://user:${SECRET}@", api_key_env: OPENAI_KEY_EU }
  - { id: d, provider: ${SECRET}, model: m }
  - { id: ${SECRET}, provider: openai, model: m, weight: x, api_key_env: ANTHROPIC_API_KEY }
groups: { g: { deployments: [${SECRET}], fallbacks: [${SHORT_SECRET}] } }
tiers: { simple: ${SHORT_SECRET} }
`;
    let message = '';
    try {
      parseRoutingConfig(text, 'routing.yaml', ENV, catalog);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('deployments[0].api_key_env: must be the NAME');
    expect(message).toContain('deployments[1].api_key: unknown key');
    expect(message).toContain('deployments[2].base_url');
    expect(message).toContain('deployments[3].provider: unknown adapter (known');
    expect(message).toContain('groups.g.deployments[0]: unknown deployment\n');
    expect(message).toContain('tiers.simple: unknown group "[redacted]"');
    expect(message).not.toContain('TOPSECRET');
  });

  it('does not quote the file when the YAML itself is broken', () => {
    const problems = problemsOf(`version: 1\ndeployments: [ { id: a, key: ${SECRET} \n`);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^line \d+, column \d+: /);
    expect(problems.join('\n')).not.toContain('TOPSECRET');
  });

  it('rejects a key written twice instead of keeping the last one', () => {
    expect(problemsOf(minimal('tiers: { simple: a }\ntiers: { simple: b }'))[0]).toMatch(
      /^line 7, column 1: Map keys must be unique/,
    );
  });

  it.each([
    ['an empty file', ''],
    ['a list', '[1, 2]'],
    ['no deployments', 'version: 1'],
    ['an empty deployment list', 'version: 1\ndeployments: []'],
  ])('rejects %s', (_, text) => {
    expect(problemsOf(text).length).toBeGreaterThan(0);
  });

  it('a missing weight is 1, relative_cost gives 1/cost, an explicit weight wins over cost', () => {
    const config = parseRoutingConfig(
      `
version: 1
deployments:
  - { id: plain, provider: echo, model: m }
  - { id: cheap, provider: echo, model: m, relative_cost: 0.5 }
  - { id: dear, provider: echo, model: m, relative_cost: 5 }
  - { id: both, provider: echo, model: m, relative_cost: 5, weight: 2 }
  - { id: backup, provider: echo, model: m, weight: 0 }
  - { id: tiny, provider: echo, model: m, weight: 0.005, priority: 2, timeout_ms: 100 }
`,
      'x',
      {},
      catalog,
    );
    expect(config.deployments.map((d) => [d.id, d.weight, d.priority])).toEqual([
      ['plain', 1, 0],
      ['cheap', 2, 0],
      ['dear', 0.2, 0],
      ['both', 2, 0],
      ['backup', 0, 0],
      ['tiny', 0.005, 2],
    ]);
    expect(config.deployments[5].timeoutMs).toBe(100);
    expect(config.groups.size).toBe(0);
    expect(config.tiers).toEqual({});
  });

  it('merges group overrides key by key over the file defaults, which merge over the built-in ones', () => {
    const config = parseRoutingConfig(
      minimal(`
defaults:
  strategy: priority
  health: { consecutive_failures: 5, cooldown_initial_s: 0.5 }
  stickiness: { max_wait_ms: 0 }
groups:
  g:
    deployments: [a, b]
    strategy: latency
    attempts: { max: 1 }
    health: { cooldown_initial_s: 0, terminal_cooldown_s: 60 }
  h: { deployments: [b] }
`),
      'x',
      {},
      catalog,
    );
    expect(config.defaults).toEqual({
      strategy: 'priority',
      attempts: { max: 3, deadlineMs: 120_000 },
      health: { ...ROUTING_DEFAULTS.health, consecutiveFailures: 5, cooldownInitialS: 0.5 },
      stickiness: { onUnhealthy: 'migrate', maxWaitMs: 0 },
    });
    expect(config.groups.get('g')).toEqual({
      name: 'g',
      deployments: ['a', 'b'],
      fallbacks: [],
      strategy: 'latency',
      attempts: { max: 1, deadlineMs: 120_000 },
      health: {
        ...ROUTING_DEFAULTS.health,
        consecutiveFailures: 5,
        cooldownInitialS: 0,
        terminalCooldownS: 60,
      },
      stickiness: { onUnhealthy: 'migrate', maxWaitMs: 0 },
    });
    expect(config.groups.get('h')).toMatchObject(config.defaults);
    expect(config.defaults.strategy).toBe('priority');
  });

  it('accepts fallback chains without cycles and a deployment in several groups', () => {
    const config = parseRoutingConfig(
      minimal(`
groups:
  one: { deployments: [a], fallbacks: [two, three] }
  two: { deployments: [a, b], fallbacks: [three] }
  three: { deployments: [b], fallbacks: [] }
tiers: { simple: one, complex: three }
`),
      'x',
      {},
      catalog,
    );
    expect(config.groups.get('one')?.fallbacks).toEqual(['two', 'three']);
    expect(config.tiers).toEqual({ simple: 'one', complex: 'three' });
  });

  it('reports a longer cycle once', () => {
    const problems = problemsOf(
      minimal(`
groups:
  x: { deployments: [a], fallbacks: [y] }
  y: { deployments: [a], fallbacks: [z] }
  z: { deployments: [a], fallbacks: [x] }
`),
    );
    expect(problems).toEqual(['groups.x.fallbacks: fallback cycle x → y → z → x']);
  });

  it('an api_key_env that is set but empty is refused; an echo deployment needs no key', () => {
    const text = `
version: 1
deployments:
  - { id: a, provider: openai, model: m, api_key_env: BLANK }
  - { id: b, provider: echo, model: m }
`;
    expect(problemsOf(text, { BLANK: '  ' })).toEqual([
      'deployments[0].api_key_env: environment variable BLANK is not set or empty',
    ]);
  });
});

describe('routing.example.yaml at the repository root', () => {
  it('loads, and resolves to the documented example', () => {
    const path = join(__dirname, '..', '..', '..', 'routing.example.yaml');
    const config = loadRoutingConfig(path, ENV, ADAPTERS, requiresKey);
    expect(config.deployments.map((d) => d.id)).toEqual([
      'oai-mini-us',
      'oai-mini-eu',
      'claude-sonnet',
    ]);
    expect({
      ...config,
      deployments: config.deployments.map(({ timeoutMs: _, ...d }) => d),
    }).toEqual(EXPECTED);
    expect(config.deployments[2].timeoutMs).toBe(180_000);
  });
});

describe('docs/ROUTING.md', () => {
  it('its example loads to the documented resolved config', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'ROUTING.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(parseRoutingConfig(example, 'docs/ROUTING.md', ENV, catalog)).toEqual(EXPECTED);
  });
});
