import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables } from './env.schema';

describe('.env.example', () => {
  it('documents every variable the gateway reads', () => {
    const example = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = Object.keys(new EnvironmentVariables()).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
