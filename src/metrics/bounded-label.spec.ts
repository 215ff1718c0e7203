import { BoundedLabel } from './bounded-label';

describe('BoundedLabel', () => {
  it('passes values through until the cap, then reports new ones as the overflow value', () => {
    const label = new BoundedLabel(2);
    expect(label.of('a')).toBe('a');
    expect(label.of('b')).toBe('b');
    expect(label.of('c')).toBe('other');
    expect(label.of('a')).toBe('a');
    expect(label.of('b')).toBe('b');
  });
});
