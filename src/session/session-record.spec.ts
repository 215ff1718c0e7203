import { decodeSession, encodeSession, SessionRecord } from './session-record';
import { sessionKey } from './session-key';

const record = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  id: 'conv-1',
  provider: 'openai',
  model: 'gpt-4o-mini',
  external_id: 'alice',
  created_at: 1_700_000_000,
  ...overrides,
});

describe('session record', () => {
  it.each([
    ['plain values', record()],
    [
      'unicode and special characters',
      record({ id: 'c/ü:{"x"}', model: 'llama3:8b-ü🙂', external_id: 'a@b.c' }),
    ],
    ['an empty id', record({ id: '' })],
  ])('round-trips %s', (_, value) => {
    expect(decodeSession(encodeSession(value), value.id)).toEqual(value);
  });

  it('stores the wave 1 fields of a record that has no routing fields, in order', () => {
    expect(Object.keys(JSON.parse(encodeSession(record())) as object)).toEqual([
      'id',
      'provider',
      'model',
      'external_id',
      'created_at',
    ]);
  });

  it('loads records from newer versions with extra fields', () => {
    const raw = JSON.stringify({ ...record(), tier: 'gold', region: 'eu', migrations: 'x' });
    expect(decodeSession(raw, 'conv-1')).toEqual(record());
  });

  it('loads older records missing the optional id and created_at', () => {
    const raw = JSON.stringify({ provider: 'openai', model: 'gpt-4o', external_id: 'bob' });
    expect(decodeSession(raw, 'conv-9')).toEqual({
      id: 'conv-9',
      provider: 'openai',
      model: 'gpt-4o',
      external_id: 'bob',
      created_at: 0,
    });
  });

  it.each([
    ['not JSON', 'garbage{'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['no model', JSON.stringify({ provider: 'openai', external_id: 'a' })],
    ['no owner', JSON.stringify({ provider: 'openai', model: 'm' })],
    ['an empty model', JSON.stringify({ provider: 'openai', model: '', external_id: 'a' })],
  ])('refuses %s', (_, raw) => {
    expect(decodeSession(raw, 'x')).toBeNull();
  });
});

describe('sessionKey', () => {
  it.each([
    ['conv-1', 'sentinel:session:conv-1'],
    [
      '6f1c2a8e-4b7d-4e5f-9a0b-1c2d3e4f5a6b',
      'sentinel:session:6f1c2a8e-4b7d-4e5f-9a0b-1c2d3e4f5a6b',
    ],
    ['a:b{c}/~!', 'sentinel:session:a:b{c}/~!'],
  ])('keys %s as %s', (id, key) => {
    expect(sessionKey(id)).toBe(key);
  });
});
