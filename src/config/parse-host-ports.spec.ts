import { parseHostPorts } from './parse-host-ports';

describe('parseHostPorts', () => {
  it('reads host:port pairs, names, IPv4 and bracketed IPv6, around spaces', () => {
    expect(parseHostPorts('redis-0.internal:6379, 10.0.0.2:7000,[::1]:26379')).toEqual([
      { host: 'redis-0.internal', port: 6379 },
      { host: '10.0.0.2', port: 7000 },
      { host: '::1', port: 26379 },
    ]);
  });

  it.each([
    ['a port is missing', 'redis-0:6379,redis-1', 2],
    ['a port is out of range', 'redis-0:70000', 1],
    ['an entry is empty', 'redis-0:6379,,redis-2:6379', 2],
    ['a URL instead of host:port', 'redis://redis-0:6379', 1],
    ['a host has a space', 'redis 0:6379', 1],
  ])('refuses a list where %s, naming the entry by position', (_, list, position) => {
    expect(() => parseHostPorts(list)).toThrow(`entry ${position} is not host:port`);
  });
});
