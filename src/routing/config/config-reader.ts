export type Mapping = Record<string, unknown>;

/**
 * Shown in messages only when it looks like a short name; anything longer or odder might be a
 * key pasted into the wrong field (provider keys are 40+ characters).
 */
const NAME_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** `"name"` for a name-shaped value, nothing otherwise (a key pasted in the wrong field stays hidden). */
export function quoted(value: unknown): string {
  return typeof value === 'string' && NAME_LIKE.test(value) ? ` "${value}"` : '';
}

/** `groups.fast`, or `groups["my group"]` when the name is not identifier-shaped. */
export function child(at: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Collects every problem of one file, each with its location, so the operator fixes them all
 * in one go. Readers return `undefined` for a bad value after recording why.
 */
export class ConfigReader {
  readonly problems: string[] = [];

  add(at: string, message: string): void {
    this.problems.push(`${at}: ${message}`);
  }

  /** A mapping whose keys are all in `allowed` (typos must not pass silently). */
  mapping(value: unknown, at: string, allowed: readonly string[]): Mapping | undefined {
    if (!isMapping(value)) {
      this.add(at, 'must be a mapping');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.add(child(at, key), `unknown key (allowed: ${allowed.join(', ')})`);
      }
    }
    return value;
  }

  list(value: unknown, at: string, options: { nonEmpty?: boolean } = {}): unknown[] | undefined {
    if (!Array.isArray(value)) {
      this.add(at, 'must be a list');
      return undefined;
    }
    if (options.nonEmpty === true && value.length === 0) {
      this.add(at, 'must not be empty');
      return undefined;
    }
    return value as unknown[];
  }

  string(value: unknown, at: string, pattern?: RegExp, describe?: string): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(at, 'must be a non-empty string');
      return undefined;
    }
    if (pattern !== undefined && !pattern.test(value)) {
      this.add(at, `must be ${describe ?? `a string matching ${String(pattern)}`}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, at: string, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
      return value as T;
    }
    this.add(at, `must be one of ${allowed.join(', ')}`);
    return undefined;
  }

  /** A finite number within the bounds (`minExclusive` for "> 0"). */
  number(
    value: unknown,
    at: string,
    bounds: { min?: number; minExclusive?: number; max?: number; integer?: boolean },
    describe: string,
  ): number | undefined {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (bounds.integer !== true || Number.isSafeInteger(value)) &&
      (bounds.min === undefined || value >= bounds.min) &&
      (bounds.minExclusive === undefined || value > bounds.minExclusive) &&
      (bounds.max === undefined || value <= bounds.max);
    if (!ok) {
      this.add(at, `must be ${describe}`);
      return undefined;
    }
    return value;
  }
}
