import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';

/** A command one client sent to Redis, as MONITOR reported it: lower-case name, then args. */
export type MonitoredCommand = string[];

/**
 * Counts the commands that Redis clients of a given connection name (the gateway names its
 * client `sentinel`) send while some work runs, through MONITOR. Commands that Lua scripts run
 * inside Redis are not round trips and are not counted. Markers sent by its own connection
 * bracket the work, so nothing from before or after it is counted. For tests and the bench.
 */
export class RedisCommandCounter {
  private collecting = false;
  private collected: Array<{ source: string; args: string[] }> = [];
  private waitingFor: { marker: string; resolve: () => void } | undefined;

  private constructor(
    private readonly admin: Redis,
    private readonly monitor: Redis,
  ) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[0]?.toLowerCase() === 'echo' && args[1] === this.waitingFor?.marker) {
        this.waitingFor.resolve();
        return;
      }
      if (this.collecting && source !== 'lua') this.collected.push({ source, args });
    });
  }

  static async start(url: string): Promise<RedisCommandCounter> {
    const admin = new Redis(url, { lazyConnect: true });
    await admin.connect();
    // monitor() opens its own connection; the lazy client it is called on never connects.
    const monitor = await new Redis(url, { lazyConnect: true }).monitor();
    return new RedisCommandCounter(admin, monitor);
  }

  /** The commands clients named `clientName` sent while `work` ran. */
  async count(work: () => Promise<void>, clientName = 'sentinel'): Promise<MonitoredCommand[]> {
    const before = await this.addresses(clientName);
    await this.mark();
    this.collected = [];
    this.collecting = true;
    try {
      await work();
      await this.mark();
    } finally {
      this.collecting = false;
    }
    const sources = new Set([...before, ...(await this.addresses(clientName))]);
    return this.collected
      .filter((c) => sources.has(c.source))
      .map((c) => [c.args[0].toLowerCase(), ...c.args.slice(1)]);
  }

  async stop(): Promise<void> {
    this.monitor.disconnect();
    await this.admin.quit();
  }

  /** Resolves once MONITOR has shown an ECHO sent now: everything sent before it was seen. */
  private async mark(): Promise<void> {
    const marker = `sentinel-counter-${randomUUID()}`;
    const seen = new Promise<void>((resolve) => (this.waitingFor = { marker, resolve }));
    await this.admin.echo(marker);
    await seen;
    this.waitingFor = undefined;
  }

  private async addresses(clientName: string): Promise<string[]> {
    const list = (await this.admin.client('LIST')) as string;
    return list
      .split('\n')
      .filter((line) => line.split(' ').includes(`name=${clientName}`))
      .map((line) => /(?:^| )addr=(\S+)/.exec(line)?.[1])
      .filter((addr): addr is string => addr !== undefined);
  }
}
