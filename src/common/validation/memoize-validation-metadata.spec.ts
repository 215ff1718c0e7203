import { IsInt, IsString, validateSync } from 'class-validator';
import { memoizeValidationMetadata } from './memoize-validation-metadata';

class Parent {
  @IsInt() count!: unknown;
}

class Child extends Parent {
  @IsString() name!: unknown;
}

const failing = (object: object): string[] =>
  validateSync(object, { forbidUnknownValues: true })
    .map((e) => e.property)
    .sort();

const child = (count: unknown, name: unknown): Child => Object.assign(new Child(), { count, name });

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('validates a class with its inherited rules, the same on every call', () => {
    for (let i = 0; i < 3; i++) {
      expect(failing(child('x', 1))).toEqual(['count', 'name']);
      expect(failing(child(1, 'a'))).toEqual([]);
    }
  });

  it('applies a rule registered after the first validation', () => {
    class Late {
      @IsInt() n!: unknown;
      later?: unknown;
    }
    expect(failing(Object.assign(new Late(), { n: 1, later: 5 }))).toEqual([]);
    IsString()(Late.prototype, 'later');
    expect(failing(Object.assign(new Late(), { n: 1, later: 5 }))).toEqual(['later']);
  });

  it('still validates by groups when groups are asked for', () => {
    class Grouped {
      @IsInt({ groups: ['strict'] }) n!: unknown;
    }
    const value = Object.assign(new Grouped(), { n: 'x' });
    expect(validateSync(value, { groups: ['strict'] }).map((e) => e.property)).toEqual(['n']);
    expect(validateSync(value, { groups: ['other'], forbidUnknownValues: false })).toEqual([]);
  });

  it('is idempotent', () => {
    memoizeValidationMetadata();
    expect(failing(child('x', 'a'))).toEqual(['count']);
  });
});
